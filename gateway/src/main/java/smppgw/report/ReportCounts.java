package smppgw.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

import smppgw.model.MessageState;

/**
 * A {@link CampaignReport}'s counts as JSON and back, and several added up: how the shards of a sharded group answer a
 * report (each its own messages' counts) and how the node that took the request makes one report of them. Rates,
 * percentiles and the variants' comparison are computed only from the sums, so a sharded group's report is the report
 * one gateway with all the messages would give. Times to deliver and to read travel as one number (milliseconds) per
 * message, for exact percentiles: a shard's answer grows with its messages (about 14 bytes per delivered or read one).
 */
final class ReportCounts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] INTS = {"messages", "delivered", "reached", "read", "read_after_failed_receipt", "unattributed",
            "non_human_messages", "non_human_signals", "unique_clicks", "raw_clicks", "opted_out", "sent", "converted"};

    private ReportCounts() {
    }

    static ObjectNode write(CampaignReport r) {
        ObjectNode n = JSON.createObjectNode();
        int[] ints = ints(r);
        for (int i = 0; i < INTS.length; i++) {
            n.put(INTS[i], ints[i]);
        }
        n.put("value", r.value);
        ObjectNode states = n.putObject("states");
        r.states.forEach((k, v) -> states.put(k.name(), v));
        ObjectNode via = n.putObject("read_by_via");
        r.readVia.forEach(via::put);
        r.toDeliver.forEach(n.putArray("to_deliver_ms")::add);
        r.toRead.forEach(n.putArray("to_read_ms")::add);
        var hours = n.putArray("hours");
        for (int h = 0; h < 24; h++) {
            CampaignReport.Hour x = r.hours[h];
            if (x != null) {
                ObjectNode o = hours.addObject().put("hour", h).put("messages", x.messages).put("delivered", x.delivered).put("reached", x.reached)
                        .put("read", x.read);
                x.toRead.forEach(o.putArray("to_read_ms")::add);
            }
        }
        if (r.variants != null) {
            ObjectNode vs = n.putObject("variants");
            r.variants.forEach((name, v) -> vs.set(name, write(v)));
            n.set("follow_up", write(r.followUps));
        }
        return n;
    }

    /** The counts of {@code parts} (each {@link #write}'s) added up. */
    static CampaignReport sum(List<? extends JsonNode> parts) {
        CampaignReport r = new CampaignReport();
        parts.forEach(p -> add(r, p));
        return r;
    }

    private static void add(CampaignReport r, JsonNode n) {
        int[] ints = new int[INTS.length];
        for (int i = 0; i < INTS.length; i++) {
            ints[i] = n.path(INTS[i]).asInt();
        }
        r.messages += ints[0];
        r.delivered += ints[1];
        r.reached += ints[2];
        r.read += ints[3];
        r.readAfterFailedReceipt += ints[4];
        r.unattributed += ints[5];
        r.nonHumanMessages += ints[6];
        r.nonHumanSignals += ints[7];
        r.uniqueClicks += ints[8];
        r.rawClicks += ints[9];
        r.optedOut += ints[10];
        r.sent += ints[11];
        r.converted += ints[12];
        r.value += n.path("value").asDouble();
        n.path("states").properties().forEach(e -> r.states.merge(MessageState.valueOf(e.getKey()), e.getValue().asInt(), Integer::sum));
        n.path("read_by_via").properties().forEach(e -> r.readVia.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
        n.path("to_deliver_ms").forEach(x -> r.toDeliver.add(x.asLong()));
        n.path("to_read_ms").forEach(x -> r.toRead.add(x.asLong()));
        for (JsonNode o : n.path("hours")) {
            int h = o.path("hour").asInt();
            CampaignReport.Hour x = r.hours[h] == null ? r.hours[h] = new CampaignReport.Hour() : r.hours[h];
            x.messages += o.path("messages").asInt();
            x.delivered += o.path("delivered").asInt();
            x.reached += o.path("reached").asInt();
            x.read += o.path("read").asInt();
            o.path("to_read_ms").forEach(t -> x.toRead.add(t.asLong()));
        }
        if (r.variants != null) {
            n.path("variants").properties().forEach(e -> add(r.variants.computeIfAbsent(e.getKey(), k -> new CampaignReport(false)), e.getValue()));
            if (n.has("follow_up")) {
                add(r.followUps, n.get("follow_up"));
            }
        }
    }

    private static int[] ints(CampaignReport r) {
        return new int[] {r.messages, r.delivered, r.reached, r.read, r.readAfterFailedReceipt, r.unattributed, r.nonHumanMessages,
                r.nonHumanSignals, r.uniqueClicks, r.rawClicks, r.optedOut, r.sent, r.converted};
    }
}
