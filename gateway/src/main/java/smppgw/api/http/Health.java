package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What {@code GET /health} answers: 200 if {@code ok}, else 503, with {@code detail} as the body. */
public record Health(boolean ok, ObjectNode detail) {
}
