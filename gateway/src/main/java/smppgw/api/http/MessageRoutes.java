package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;

import smppgw.intake.Clients;
import smppgw.intake.InvalidRequestException;
import smppgw.model.AcceptResult;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.text.TextPlan;

/**
 * {@code /v1/messages}: one message ({@code POST}), a batch ({@code POST /batch}: every item checked on its own, the
 * valid ones stored in one write), a preview of how a text is cut, and a message by id or {@code client_ref} (a
 * client sees only its own).
 */
final class MessageRoutes {
    private MessageRoutes() {
    }

    static void post(Exchange ex) {
        ApiHandler.Routes routes = ex.routes;
        NewMessage message = routes.intake().validate(MessageRequests.message(ex.client, MessageRequests.body(ex.req), ""));
        if (routes.clients().take(ex.client, 1, System.nanoTime()) < 1) {
            throw Clients.rateLimited(ex.client, routes.clients().tps(ex.client));
        }
        routes.intake().accept(List.of(message)).whenComplete((results, err) -> {
            if (err != null) {
                ex.fail(err);
                return;
            }
            AcceptResult r = results.get(0);
            ObjectNode out = result(ex, r, message);
            if (!r.stored()) {
                ex.send(HttpResponseStatus.valueOf(routes.intake().refusal(r, message).httpStatus()), out);
                return;
            }
            routes.metrics().acceptLatency.labelValues("http").observe((System.nanoTime() - ex.startedAt) / 1e9);
            ex.send(r.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.ACCEPTED, out);
        });
    }

    /** Answers 200 with one result per item, in order: an id, or the error that item got. */
    static void batch(Exchange ex) {
        ApiHandler.Routes routes = ex.routes;
        JsonNode items = MessageRequests.body(ex.req).get("messages");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw InvalidRequestException.field("messages", "messages must be a non-empty array of messages");
        }
        if (items.size() > routes.maxBatch()) {
            throw InvalidRequestException.field("messages", items.size() + " messages in one batch; the limit is " + routes.maxBatch());
        }
        ObjectNode[] out = new ObjectNode[items.size()];
        List<NewMessage> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                valid.add(routes.intake().validate(MessageRequests.message(ex.client, items.get(i), "messages[" + i + "].")));
                positions.add(i);
            } catch (InvalidRequestException e) {
                routes.counters().rejected.incrementAndGet();
                routes.metrics().intake.labelValues("http", ex.clientLabel(), e.code()).inc();
                out[i] = Exchange.error(e);
                String prefix = "messages[" + i + "].";
                if (e.field() != null && !e.field().startsWith(prefix)) {
                    out[i].put("field", prefix + e.field());
                }
            }
        }
        int allowed = routes.clients().take(ex.client, valid.size(), System.nanoTime());
        while (valid.size() > allowed) {
            int i = positions.remove(positions.size() - 1);
            valid.remove(valid.size() - 1);
            routes.counters().rejected.incrementAndGet();
            routes.metrics().intake.labelValues("http", ex.clientLabel(), "rate_limited").inc();
            out[i] = Exchange.error(Clients.rateLimited(ex.client, routes.clients().tps(ex.client)));
        }
        if (valid.isEmpty()) {
            ex.send(HttpResponseStatus.OK, batchBody(out));
            return;
        }
        routes.intake().accept(valid).whenComplete((results, err) -> {
            if (err != null) {
                ex.fail(err);
                return;
            }
            for (int k = 0; k < results.size(); k++) {
                out[positions.get(k)] = result(ex, results.get(k), valid.get(k));
            }
            ex.send(HttpResponseStatus.OK, batchBody(out));
        });
    }

    static ObjectNode batchBody(ObjectNode[] items) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        int ok = 0;
        for (ObjectNode n : items) {
            results.add(n);
            ok += n.has("id") ? 1 : 0;
        }
        body.put("accepted", ok);
        body.put("rejected", items.length - ok);
        return body;
    }

    private static ObjectNode result(Exchange ex, AcceptResult r, NewMessage m) {
        ApiHandler.Routes routes = ex.routes;
        String label = m.client().isEmpty() ? "-" : m.client();
        if (!r.stored()) {
            routes.counters().rejected.incrementAndGet();
            routes.metrics().intake.labelValues("http", label, r.refusal()).inc();
            ObjectNode refused = Exchange.error(routes.intake().refusal(r, m));
            if (r.id() != null) {
                refused.put("existing_id", r.id()); // the message the client_ref already names
            }
            return refused;
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", r.id());
        routes.metrics().intake.labelValues("http", label, r.duplicate() ? "duplicate" : "accepted").inc();
        if (r.duplicate()) {
            routes.counters().duplicates.incrementAndGet();
            out.put("state", routes.store().find(r.id()).map(v -> v.state().name()).orElse("ACCEPTED"));
            out.put("duplicate", true);
        } else {
            routes.counters().accepted.incrementAndGet();
            out.put("state", "ACCEPTED");
            out.put("operator", m.operator());
            text(ex, out, m);
        }
        return out;
    }

    /** {@code POST /v1/messages/preview}: the operator, encoding and parts a text would get. */
    static void preview(Exchange ex) {
        NewMessage message = ex.routes.intake().validate(MessageRequests.message(ex.client, MessageRequests.body(ex.req), ""));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("operator", message.operator());
        out.put("to", message.to());
        text(ex, out, message);
        ex.routes.intake().plan(message).parts().forEach(out.putArray("parts")::add);
        ex.send(HttpResponseStatus.OK, out);
    }

    /** encoding, segments, characters used (septets or UTF-16 units) and remaining in the last segment. */
    private static void text(Exchange ex, ObjectNode out, NewMessage m) {
        TextPlan plan = ex.routes.intake().plan(m);
        out.put("encoding", plan.encoding());
        out.put("segments", plan.segments());
        out.put("characters", plan.units());
        out.put("remaining", plan.remaining());
    }

    /** {@code GET /v1/messages?client_ref=}: the client's message with that reference. */
    static void byClientRef(Exchange ex) {
        String ref = ex.uri.parameters().get("client_ref").get(0);
        view(ex, ex.routes.store().findByClientRef(ex.client, ref).orElse(null), "client_ref", ref);
    }

    /** {@code GET /v1/messages/{id}}. */
    static void byId(Exchange ex, String id) {
        if (ex.req.method().equals(io.netty.handler.codec.http.HttpMethod.DELETE)) {
            cancel(ex, id);
        } else {
            view(ex, id, "id", id);
        }
    }

    /**
     * {@code DELETE /v1/messages/{id}}: a message still scheduled (send_at, quiet hours, a campaign's start or spread), or
     * queued for its operator and not yet taken by its dispatcher, is cancelled, 200 with state CANCELLED once durable; one
     * taken to be sent (it may be on the wire), sent or final is 409 {@code too_late} with its state (ACCEPTED: taken);
     * another client's or an unknown one 404.
     */
    private static void cancel(Exchange ex, String id) {
        ex.routes.store().cancel(id, ex.routes.clients().authRequired() ? ex.client : null).whenComplete((c, err) -> {
            if (err != null) {
                ex.fail(err);
                return;
            }
            switch (c.outcome()) {
                case CANCELLED -> ex.send(HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("id", id).put("state", "CANCELLED"));
                case TOO_LATE -> ex.send(HttpResponseStatus.CONFLICT, Json.error("too_late", "id", "message " + id + " is " + c.state()
                        + (c.state() == smppgw.model.MessageState.ACCEPTED ? ": its operator's dispatcher has taken it to send (it may be on the wire)"
                        : ": only a scheduled or queued message can be cancelled"))
                        .put("state", c.state().name()));
                default -> ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", "id", "no message with id " + id));
            }
        });
    }

    /** A message by id, only to the client it belongs to (others get the same 404 as for an unknown id). */
    private static void view(Exchange ex, String id, String field, String value) {
        MessageView v = id == null ? null : ex.routes.store().find(id).orElse(null);
        if (v != null && (!ex.routes.clients().authRequired() || v.message().client().equals(ex.client))) {
            ex.send(HttpResponseStatus.OK, Json.view(v));
        } else {
            ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", field, "no message with " + field + " " + value));
        }
    }
}
