package smppgw.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;

import java.util.Iterator;
import java.util.Set;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;

/** JSON bodies of the message endpoints, checked field by field. */
final class MessageRequests {
    private static final Set<String> FIELDS = Set.of("to", "from", "text", "client_ref", "validity", "encoding", "class", "track_links", "campaign", "send_at", "time_zone");

    private MessageRequests() {
    }

    /** The body as a JSON object; anything else is a 400 naming the problem. */
    static JsonNode body(FullHttpRequest req) {
        // parsed from the bytes, not from a decoded String: JSON is UTF-8 (RFC 8259), and a body that is not is refused
        // (400 invalid_json) instead of read with replacement characters where its bad bytes were
        io.netty.buffer.ByteBuf content = req.content();
        JsonNode n;
        try {
            n = content.hasArray() ? Json.MAPPER.readTree(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes())
                    : Json.MAPPER.readTree(io.netty.buffer.ByteBufUtil.getBytes(content));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(400, "invalid_json", null, "body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) { // only JSON errors can come from bytes in memory
            throw new java.io.UncheckedIOException(e);
        }
        if (n == null || !n.isObject()) {
            throw new InvalidRequestException(400, "invalid_json", null, "body must be a JSON object");
        }
        return n;
    }

    /** One message object: only known fields, all strings ({@code validity} may also be a number of seconds). */
    static Intake.Request message(String client, JsonNode n, String prefix) {
        if (!n.isObject()) {
            throw InvalidRequestException.field(prefix.isEmpty() ? "body" : prefix, "a message must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw InvalidRequestException.field(prefix + f, "unknown field '" + f
                        + "' (expected: to, from, text, client_ref, validity, encoding, class, track_links, campaign, send_at, time_zone)");
            }
        }
        JsonNode validity = n.get("validity");
        return new Intake.Request(client, text(n, "to", prefix), text(n, "from", prefix), text(n, "text", prefix),
                text(n, "client_ref", prefix), validity != null && validity.isIntegralNumber() ? validity.asText() : text(n, "validity", prefix))
                .withEncoding(text(n, "encoding", prefix)).withClass(text(n, "class", prefix))
                .withTrackLinks(bool(n, "track_links", prefix)).withCampaign(text(n, "campaign", prefix))
                .withSchedule(text(n, "send_at", prefix), text(n, "time_zone", prefix));
    }

    /** The field's value, or null when it is absent. */
    static Boolean bool(JsonNode body, String field, String prefix) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw InvalidRequestException.field(prefix + field, field + " must be true or false");
        }
        return v.booleanValue();
    }

    static String text(JsonNode body, String field, String prefix) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw InvalidRequestException.field(prefix + field, field + " must be a string");
        }
        return v.textValue();
    }
}
