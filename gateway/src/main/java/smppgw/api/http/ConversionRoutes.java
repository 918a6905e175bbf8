package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import smppgw.intake.InvalidRequestException;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.Redemption;

/**
 * {@code POST /v1/conversions {"message_id"|"code"|"to"+"campaign", "value"?, "at"?}}: a conversion attributed to a
 * message — the one named, the one carrying the promo code (which redeems it, as {@code /v1/redemptions} does), or the
 * campaign's latest message to that number — recorded as a CONVERSION event with its value; {@code 200} once durable.
 * Every POST is one conversion (send each order once).
 */
final class ConversionRoutes {
    private static final Set<String> FIELDS = Set.of("message_id", "code", "to", "campaign", "value", "at");

    private ConversionRoutes() {
    }

    static void post(Exchange ex) {
        JsonNode body = MessageRequests.body(ex.req);
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw InvalidRequestException.field(f, "unknown field '" + f + "' (expected: message_id, code, to and campaign, value, at)");
            }
        });
        String id = text(body, "message_id");
        String code = text(body, "code");
        String to = text(body, "to");
        String campaign = text(body, "campaign");
        int ways = (id != null ? 1 : 0) + (code != null ? 1 : 0) + (to != null || campaign != null ? 1 : 0);
        if (ways != 1 || (to == null) != (campaign == null)) {
            throw InvalidRequestException.field("message_id", "name the message one way: message_id, or code, or to and campaign");
        }
        Double value = null;
        JsonNode v = body.get("value");
        if (v != null && !v.isNull()) {
            if (!v.isNumber() || v.asDouble() < 0 || Double.isInfinite(v.asDouble())) {
                throw InvalidRequestException.field("value", "value must be a number of 0 or more");
            }
            value = v.asDouble();
        }
        long now = ex.routes.intake().clock().millis();
        long at = now;
        String atText = text(body, "at");
        if (atText != null) {
            try {
                at = OffsetDateTime.parse(atText).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw InvalidRequestException.field("at", "at must be an ISO-8601 time with its offset, e.g. 2026-12-01T12:00:00+01:00");
            }
            if (at > now + 300_000) {
                throw InvalidRequestException.field("at", "at is in the future");
            }
        }
        String client = ex.routes.clients().authRequired() ? ex.client : null;
        CompletableFuture<Message> message;
        String via;
        if (code != null) {
            via = "code";
            message = ex.routes.store().redeem(code.trim(), client).thenApply(r -> {
                if (r.outcome() == Redemption.Outcome.UNKNOWN) {
                    throw new InvalidRequestException(404, "unknown_code", "code", "no message carries code " + code);
                }
                return ex.routes.store().find(r.messageId()).orElseThrow().message();
            });
        } else {
            via = "api";
            Message m = id != null ? byId(ex, id, client) : latest(ex, campaign, ex.routes.intake().number("to", to), client);
            message = CompletableFuture.completedFuture(m);
        }
        Double worth = value;
        long when = at;
        message.thenCompose(m -> {
            ex.routes.store().record(m.id(), m.operator(), Event.conversion(when, via, worth, code));
            return ex.routes.store().barrier().thenApply(x -> m);
        }).whenComplete((m, err) -> {
            if (err != null) {
                ex.fail(err);
                return;
            }
            ObjectNode n = Json.MAPPER.createObjectNode().put("message_id", m.id()).put("campaign", m.campaign()).put("variant", m.variant());
            if (worth != null) {
                n.put("value", worth);
            } else {
                n.putNull("value");
            }
            n.put("via", via).put("at", Json.time(when));
            ex.send(HttpResponseStatus.OK, n);
        });
    }

    private static Message byId(Exchange ex, String id, String client) {
        Message m = ex.routes.store().find(id).map(smppgw.model.MessageView::message).orElse(null);
        if (m == null || client != null && !client.equals(m.client())) {
            throw new InvalidRequestException(404, "not_found", "message_id", "no message " + id);
        }
        return m;
    }

    /** The campaign's latest message to {@code to} of this client (ids are time-ordered: the last one seen). */
    private static Message latest(Exchange ex, String campaign, String to, String client) {
        Message[] found = {null};
        ex.routes.store().forCampaign(campaign, id -> ex.routes.store().find(id).ifPresent(v -> {
            Message m = v.message();
            if (to.equals(m.to()) && (client == null || client.equals(m.client()))) {
                found[0] = m;
            }
        }));
        if (found[0] == null) {
            throw new InvalidRequestException(404, "not_found", "to", "campaign " + campaign + " sent nothing to " + to);
        }
        return found[0];
    }

    private static String text(JsonNode body, String field) {
        String v = MessageRequests.text(body, field, "");
        if (v != null && v.isBlank()) {
            throw InvalidRequestException.field(field, field + " must be a non-empty string");
        }
        return v;
    }
}
