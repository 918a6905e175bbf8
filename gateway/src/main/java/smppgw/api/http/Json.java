package smppgw.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.MessageView;

/** The JSON shapes of the HTTP API. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static byte[] bytes(Object node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode error(String code, String field, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("error", code);
        if (field != null) {
            n.put("field", field);
        }
        n.put("message", message);
        return n;
    }

    static ObjectNode view(MessageView v) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", v.message().id());
        n.put("state", v.state().name());
        n.put("operator", v.message().operator());
        n.put("to", v.message().to());
        n.put("from", v.message().from());
        n.put("text", v.message().text());
        n.put("class", v.message().messageClassOrDefault());
        if (v.sendAt() != null) {
            n.put("send_at", time(v.sendAt()));
        }
        if (v.message().campaign() != null) {
            n.put("campaign", v.message().campaign());
        }
        if (v.message().clientRef() != null) {
            n.put("client_ref", v.message().clientRef());
        }
        n.put("accepted_at", time(v.message().acceptedAt()));
        if (v.message().purgedAt() != null) {
            n.put("purged_at", time(v.message().purgedAt())); // retention: text, numbers and links are gone
        }
        if (v.message().expiresAt() != null) {
            n.put("expires_at", time(v.message().expiresAt()));
        }
        v.smscIds().forEach(n.putArray("smsc_ids")::add);
        if (v.parts() > 1) {
            n.put("segments", v.parts());
            var parts = n.putArray("parts");
            for (int p = 1; p <= v.parts(); p++) {
                parts.addObject().put("part", p).put("state", v.partState(p).name());
            }
        }
        for (Event e : v.events()) {
            ObjectNode en = n.withArray("events").addObject();
            en.put("type", e.type().name());
            MessageState s = stateOf(e);
            if (s != null) {
                en.put("state", s.name());
            }
            en.put("at", time(e.at()));
            if (e.attempt() != null) en.put("attempt", e.attempt());
            if (e.smscId() != null) en.put("smsc_id", e.smscId());
            if (e.bind() != null) en.put("bind", e.bind());
            if (e.status() != null) en.put("command_status", e.status());
            if (e.stat() != null) en.put("stat", e.stat());
            if (e.err() != null) en.put("err", e.err());
            if (e.via() != null) en.put("via", e.via());
            if (e.reason() != null) en.put((e.type() == EventType.READ || e.type() == EventType.SIGNAL) && "reply".equals(e.via()) ? "text" : "reason", e.reason());
            if (e.part() != null) en.put("part", e.part());
            if (e.human() != null) en.put("human", e.human());
            if (e.note() != null) en.put("note", e.note());
            if (e.value() != null) en.put("value", e.value());
        }
        return n;
    }

    /** The state an event brings the message to, if it is a state change. */
    private static MessageState stateOf(Event e) {
        return switch (e.type()) {
            case ACCEPTED -> MessageState.ACCEPTED;
            case SUBMITTED -> MessageState.SUBMITTED;
            case FAILED -> MessageState.FAILED;
            case EXPIRED -> MessageState.EXPIRED;
            case RECEIPT -> MessageState.ofReceiptStat(e.stat());
            case READ -> MessageState.READ;
            case SCHEDULED -> MessageState.SCHEDULED;
            case RELEASED -> MessageState.ACCEPTED;
            default -> null;
        };
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
