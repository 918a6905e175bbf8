package smppgw.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.store.MessageStore;

/**
 * Who got what in a campaign, who read, who converted: its messages oldest first, filtered and paged by id
 * ({@code after}: the last id of the previous page), as JSON or CSV for export.
 */
public final class CampaignMessages {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] COLUMNS = {"id", "to", "variant", "follow_up", "state", "accepted_at", "delivered_at", "read_at", "read_via",
            "converted"};

    /** Which messages: each null for any. */
    public record Filter(MessageState state, String variant, Boolean read, Boolean followUp, String after, int limit) {
    }

    /** One message's line. */
    public record Row(String id, String to, String variant, boolean followUp, MessageState state, long acceptedAt, Long deliveredAt,
                      Long readAt, String readVia, boolean converted) {
        static Row of(MessageView v) {
            Message m = v.message();
            Long delivered = null;
            Event read = null;
            boolean converted = false;
            for (Event e : v.events()) {
                if (delivered == null && e.type() == EventType.RECEIPT && "DELIVRD".equals(e.stat())) {
                    delivered = e.at();
                }
                if (e.type() == EventType.READ) {
                    read = read == null ? e : read;
                    converted |= "code".equals(e.via());
                }
                converted |= e.type() == EventType.CONVERSION;
            }
            return new Row(m.id(), m.to(), m.variant(), m.isFollowUp(), v.state(), m.acceptedAt(), delivered, read == null ? null : read.at(),
                    read == null ? null : read.via(), converted);
        }
    }

    /** A page: the rows, and the id to ask {@code after} for the next one (null on the last page). */
    public record Page(List<Row> rows, String next) {
    }

    private CampaignMessages() {
    }

    /** @param client only this client's messages, or null for all */
    public static Page page(MessageStore store, String campaign, String client, Filter f) {
        List<Row> rows = new ArrayList<>();
        boolean[] more = {false};
        store.forCampaign(campaign, id -> {
            if (more[0] || f.after() != null && id.compareTo(f.after()) <= 0) {
                return;
            }
            MessageView v = store.find(id).orElse(null);
            if (v == null || client != null && !client.equals(v.message().client())) {
                return;
            }
            Row r = Row.of(v);
            if (f.state() != null && r.state() != f.state() || f.variant() != null && !f.variant().equals(r.variant())
                    || f.read() != null && f.read() != (r.readAt() != null) || f.followUp() != null && f.followUp() != r.followUp()) {
                return;
            }
            if (rows.size() == f.limit()) {
                more[0] = true;
                return;
            }
            rows.add(r);
        });
        return new Page(rows, more[0] && !rows.isEmpty() ? rows.get(rows.size() - 1).id() : null);
    }

    public static ObjectNode json(Page p) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode a = n.putArray("messages");
        for (Row r : p.rows()) {
            ObjectNode o = a.addObject();
            o.put("id", r.id());
            o.put("to", r.to());
            o.put("variant", r.variant());
            o.put("follow_up", r.followUp());
            o.put("state", r.state().name());
            o.put("accepted_at", time(r.acceptedAt()));
            o.put("delivered_at", time(r.deliveredAt()));
            o.put("read_at", time(r.readAt()));
            o.put("read_via", r.readVia());
            o.put("converted", r.converted());
        }
        n.put("next", p.next());
        return n;
    }

    /** The rows of a page as {@link #json} wrote them (a shard's part of a sharded group's page). */
    public static List<Row> rows(com.fasterxml.jackson.databind.JsonNode page) {
        List<Row> rows = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode o : page.path("messages")) {
            rows.add(new Row(o.path("id").asText(), text(o, "to"), text(o, "variant"), o.path("follow_up").asBoolean(),
                    MessageState.valueOf(o.path("state").asText()), millis(o, "accepted_at"), millis(o, "delivered_at"), millis(o, "read_at"),
                    text(o, "read_via"), o.path("converted").asBoolean()));
        }
        return rows;
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode o, String f) {
        return o.hasNonNull(f) ? o.get(f).asText() : null;
    }

    private static Long millis(com.fasterxml.jackson.databind.JsonNode o, String f) {
        return o.hasNonNull(f) ? Instant.parse(o.get(f).asText()).toEpochMilli() : null;
    }

    /** RFC 4180 CSV with a header row; a number with a purged {@code to} is empty. */
    public static String csv(Page p) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Row r : p.rows()) {
            b.append(r.id()).append(',').append(cell(r.to())).append(',').append(cell(r.variant())).append(',').append(r.followUp()).append(',')
                    .append(r.state().name()).append(',').append(time(r.acceptedAt())).append(',').append(nz(time(r.deliveredAt()))).append(',')
                    .append(nz(time(r.readAt()))).append(',').append(cell(r.readVia())).append(',').append(r.converted()).append("\r\n");
        }
        return b.toString();
    }

    private static String time(Long ms) {
        return ms == null ? null : Instant.ofEpochMilli(ms).toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
