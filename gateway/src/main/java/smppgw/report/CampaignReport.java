package smppgw.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.store.MessageStore;
import smppgw.model.MessageView;

/**
 * What became of a campaign's messages: counts per state, delivery rate, read rate overall and by what showed
 * it, opt-outs that followed, median and p90 time to deliver and to read, and the same by hour of day of
 * sending (in a time zone), so a sender sees which hours get read fastest.
 *
 * <p>Definitions: <i>delivered</i>: messages the carrier confirmed (DELIVRD receipts for every part), whatever read
 * signals came. <i>delivery rate</i> = delivered / messages. <i>read</i>: messages a person acted on (a reply, a
 * browser's click, a code), but not those whose receipt said they failed: those are
 * <i>read_after_failed_receipt</i> (the carrier's receipt was wrong), apart. <i>reached</i>: delivered, or read
 * without a delivery receipt. <i>read rate</i> = read / reached. <i>unattributed</i>: messages the carrier never
 * took (FAILED, REJECTED, EXPIRED before sending) that still got a read signal; <i>non_human</i>: messages with
 * signals from machines (HTTP libraries, scanners, preview fetchers) and how many; neither counts as read.
 * <i>clicks</i>: people's clicks, {@code unique} (messages) and {@code raw} (every click). <i>opted out</i>:
 * recipients on the client's or the gateway's list since after the message was accepted, among those reached;
 * <i>opt-out rate</i> = opted out / reached. <i>time to deliver</i>: acceptance to the first DELIVRD receipt;
 * <i>time to read</i>: acceptance to the first read. Percentiles are nearest-rank, in seconds.
 */
public final class CampaignReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<MessageState, Integer> states = new EnumMap<>(MessageState.class);
    final Map<String, Integer> readVia = new TreeMap<>();
    final List<Long> toDeliver = new ArrayList<>();
    final List<Long> toRead = new ArrayList<>();
    final Hour[] hours = new Hour[24];
    int messages;
    int delivered;
    int reached;
    int read;
    int readAfterFailedReceipt;
    int unattributed;
    int nonHumanMessages;
    int nonHumanSignals;
    int uniqueClicks;
    int rawClicks;
    int optedOut;
    int sent;
    int converted;
    double value;
    /** First messages by variant (uploads), and the follow-ups apart; null inside those. */
    final Map<String, CampaignReport> variants;
    final CampaignReport followUps;

    static final class Hour {
        int messages;
        int delivered;
        int reached;
        int read;
        final List<Long> toRead = new ArrayList<>();
    }

    CampaignReport() {
        this(true);
    }

    CampaignReport(boolean top) {
        variants = top ? new TreeMap<>() : null;
        followUps = top ? new CampaignReport(false) : null;
    }

    /** @param client only this client's messages, or null for all */
    public static ObjectNode build(MessageStore store, String campaign, String client, ZoneId zone) {
        return collect(store, campaign, client, zone).json(campaign, zone);
    }

    /**
     * The counts a report is made of, of this store's messages only, for a sharded group's front to add to the other
     * shards' ({@link #merged}): every count and every message's time to deliver and to read, not rates.
     */
    public static ObjectNode counts(MessageStore store, String campaign, String client, ZoneId zone) {
        return ReportCounts.write(collect(store, campaign, client, zone));
    }

    /** The counts of several stores ({@link #counts}) added up, still counts (a node's answer for its shards). */
    public static ObjectNode mergedCounts(List<? extends com.fasterxml.jackson.databind.JsonNode> parts) {
        return ReportCounts.write(ReportCounts.sum(parts));
    }

    /** The report of the messages of several stores, from their {@link #counts}: the same as one store with them all would give. */
    public static ObjectNode merged(List<? extends com.fasterxml.jackson.databind.JsonNode> parts, String campaign, ZoneId zone) {
        return ReportCounts.sum(parts).json(campaign, zone);
    }

    private static CampaignReport collect(MessageStore store, String campaign, String client, ZoneId zone) {
        CampaignReport r = new CampaignReport();
        store.forCampaign(campaign, id -> store.find(id).ifPresent(v -> {
            if (client == null || client.equals(v.message().client())) {
                boolean optedOut = optedOutSince(store, v);
                r.add(v, optedOut, zone);
                if (v.message().isFollowUp()) {
                    r.followUps.add(v, optedOut, zone);
                } else if (v.message().variant() != null) {
                    r.variants.computeIfAbsent(v.message().variant(), k -> new CampaignReport(false)).add(v, optedOut, zone);
                }
            }
        }));
        return r;
    }

    /** Whether the recipient opted out after the message: from the suppression list, or once retention purged the number, its event. */
    private static boolean optedOutSince(MessageStore store, MessageView v) {
        if (v.message().to() == null) {
            return v.events().stream().anyMatch(e -> e.type() == EventType.OPTED_OUT);
        }
        long accepted = v.message().acceptedAt();
        return java.util.stream.Stream.of(store.consent(null, v.message().to()), store.consent(v.message().client(), v.message().to()))
                .flatMap(java.util.Optional::stream).anyMatch(c -> c.optedOut() && c.since() >= accepted);
    }

    private void add(MessageView v, boolean optedOutSince, ZoneId zone) {
        long accepted = v.message().acceptedAt();
        Hour h = hours[Instant.ofEpochMilli(accepted).atZone(zone).getHour()];
        if (h == null) {
            h = hours[Instant.ofEpochMilli(accepted).atZone(zone).getHour()] = new Hour();
        }
        messages++;
        h.messages++;
        MessageState s = v.state();
        states.merge(s, 1, Integer::sum);
        MessageState carrier = MessageState.carrier(v.events());
        Long deliveredAt = null;
        Event firstRead = null;
        int clicks = 0;
        int machine = 0;
        boolean unattributedSignal = false;
        boolean wasSent = false;
        boolean code = false; // converted: a promo code redeemed, or a conversion reported
        double worth = 0;
        for (Event e : v.events()) {
            if (e.type() == EventType.SUBMITTED) {
                wasSent = true;
            }
            if (e.type() == EventType.CONVERSION) {
                code = true;
                worth += e.value() == null ? 0 : e.value();
            }
            if (deliveredAt == null && e.type() == EventType.RECEIPT && "DELIVRD".equals(e.stat())) {
                deliveredAt = e.at();
            }
            if (e.type() == EventType.READ) {
                if (firstRead == null) {
                    firstRead = e;
                }
                if ("click".equals(e.via())) {
                    clicks++;
                }
                if ("code".equals(e.via())) {
                    code = true;
                }
            } else if (e.type() == EventType.SIGNAL) {
                if (Boolean.FALSE.equals(e.human())) {
                    machine++;
                } else if ("unattributed".equals(e.note())) {
                    unattributedSignal = true;
                }
            }
        }
        boolean confirmed = carrier == MessageState.DELIVERED;
        boolean failedReceipt = carrier == MessageState.UNDELIVERED || carrier == MessageState.EXPIRED;
        boolean isRead = firstRead != null && !failedReceipt;
        if (confirmed) {
            delivered++;
            h.delivered++;
            if (deliveredAt != null) {
                toDeliver.add(Math.max(0, deliveredAt - accepted));
            }
        }
        if (confirmed || isRead) {
            reached++;
            h.reached++;
            if (optedOutSince) {
                optedOut++;
            }
        }
        if (wasSent) {
            sent++;
        }
        if (code) {
            converted++;
            value += worth;
        }
        if (isRead) {
            read++;
            h.read++;
            readVia.merge(firstRead.via(), 1, Integer::sum);
            long ms = Math.max(0, firstRead.at() - accepted);
            toRead.add(ms);
            h.toRead.add(ms);
        } else if (firstRead != null) {
            readAfterFailedReceipt++;
        }
        if (unattributedSignal) {
            unattributed++;
        }
        if (machine > 0) {
            nonHumanMessages++;
            nonHumanSignals += machine;
        }
        if (clicks > 0) {
            uniqueClicks++;
            rawClicks += clicks;
        }
    }

    private ObjectNode json(String campaign, ZoneId zone) {
        ObjectNode n = JSON.createObjectNode();
        n.put("campaign", campaign);
        n.put("time_zone", zone.getId());
        n.put("messages", messages);
        ObjectNode st = n.putObject("states");
        states.forEach((k, v) -> st.put(k.name(), v));
        n.put("delivered", delivered);
        n.put("delivery_rate", ratio(delivered, messages));
        n.put("reached", reached);
        n.put("read", read);
        n.put("read_rate", ratio(read, reached));
        ObjectNode via = n.putObject("read_by_via");
        readVia.forEach((k, v) -> via.putObject(k).put("read", v).put("rate", ratio(v, reached)));
        n.putObject("clicks").put("unique", uniqueClicks).put("raw", rawClicks);
        n.put("read_after_failed_receipt", readAfterFailedReceipt);
        n.put("unattributed", unattributed);
        n.putObject("non_human").put("messages", nonHumanMessages).put("signals", nonHumanSignals);
        n.put("opted_out", optedOut);
        n.put("opt_out_rate", ratio(optedOut, reached));
        n.put("sent", sent);
        n.put("converted", converted);
        n.put("conversion_rate", ratio(converted, reached));
        n.put("value", value);
        percentiles(n.putObject("time_to_deliver_s"), toDeliver);
        percentiles(n.putObject("time_to_read_s"), toRead);
        readsOverTime(n.putArray("reads_over_time"));
        for (int hour = 0; hour < 24; hour++) {
            Hour h = hours[hour];
            if (h == null) {
                continue;
            }
            ObjectNode o = n.withArray("by_hour").addObject();
            o.put("hour", hour).put("messages", h.messages).put("delivered", h.delivered).put("reached", h.reached).put("read", h.read)
                    .put("read_rate", ratio(h.read, h.reached));
            percentiles(o.putObject("time_to_read_s"), h.toRead);
        }
        if (!n.has("by_hour")) {
            n.putArray("by_hour");
        }
        if (variants != null) {
            com.fasterxml.jackson.databind.node.ArrayNode vs = n.putArray("variants");
            variants.forEach((name, r) -> vs.add(r.variantJson(name)));
            winner(n);
            if (followUps.messages > 0) {
                n.set("follow_up", followUps.variantJson(null));
            }
        }
        return n;
    }

    /** One variant's figures (or the follow-ups', with no name). */
    private ObjectNode variantJson(String name) {
        ObjectNode o = JSON.createObjectNode();
        if (name != null) {
            o.put("name", name);
        }
        o.put("recipients", messages);
        o.put("sent", sent);
        o.put("delivered", delivered);
        o.put("reached", reached);
        o.put("read", read);
        o.put("read_rate", ratio(read, reached));
        ObjectNode via = o.putObject("read_by_via");
        readVia.forEach((k, v) -> via.putObject(k).put("read", v).put("rate", ratio(v, reached)));
        o.put("converted", converted);
        o.put("conversion_rate", ratio(converted, reached));
        o.put("value", value);
        o.put("opted_out", optedOut);
        percentiles(o.putObject("time_to_read_s"), toRead);
        return o;
    }

    /**
     * The variant ahead and whether that is more than chance: the two variants with the highest rate — conversion rate
     * when any variant has conversions, else read rate, both over reached — compared by the two-proportion z-test.
     * {@code winner} is null until p < 0.05; {@code winner_test} shows the comparison meanwhile.
     */
    private void winner(ObjectNode n) {
        if (variants.size() < 2) {
            n.putNull("winner");
            return;
        }
        boolean byConversion = variants.values().stream().anyMatch(r -> r.converted > 0);
        java.util.function.ToIntFunction<CampaignReport> hits = byConversion ? r -> r.converted : r -> r.read;
        List<Map.Entry<String, CampaignReport>> ranked = new ArrayList<>(variants.entrySet());
        ranked.sort((a, b) -> Double.compare(rate(hits, b.getValue()), rate(hits, a.getValue())));
        Map.Entry<String, CampaignReport> first = ranked.get(0);
        Map.Entry<String, CampaignReport> second = ranked.get(1);
        smppgw.campaign.Winner.Test t = smppgw.campaign.Winner.test(first.getKey(), hits.applyAsInt(first.getValue()), first.getValue().reached,
                second.getKey(), hits.applyAsInt(second.getValue()), second.getValue().reached);
        if (t == null) {
            n.putNull("winner");
            return;
        }
        ObjectNode test = n.putObject("winner_test");
        test.put("metric", byConversion ? "conversion_rate" : "read_rate");
        test.put("leader", t.leader()).put("leader_rate", round(t.leaderRate())).put("runner_up", t.other())
                .put("runner_up_rate", round(t.otherRate())).put("z", round(t.z())).put("p_value", t.pValue()).put("alpha", smppgw.campaign.Winner.ALPHA);
        if (t.significant()) {
            n.putObject("winner").put("variant", t.leader()).put("metric", test.get("metric").asText()).put("p_value", t.pValue());
        } else {
            n.putNull("winner");
        }
    }

    private static double rate(java.util.function.ToIntFunction<CampaignReport> hits, CampaignReport r) {
        return r.reached == 0 ? 0 : (double) hits.applyAsInt(r) / r.reached;
    }

    private static double round(double x) {
        return Math.round(x * 10_000.0) / 10_000.0;
    }

    /**
     * Reads by hours since sending: one entry per hour up to the last read (at most 72; later reads in the last entry),
     * with the reads in that hour and all reads by its end, so a chart shows how fast a campaign was read.
     */
    private void readsOverTime(com.fasterxml.jackson.databind.node.ArrayNode into) {
        if (toRead.isEmpty()) {
            return;
        }
        int[] byHour = new int[72];
        int last = 0;
        for (long ms : toRead) {
            int h = (int) Math.min(71, ms / 3_600_000);
            byHour[h]++;
            last = Math.max(last, h);
        }
        int cumulative = 0;
        for (int h = 0; h <= last; h++) {
            cumulative += byHour[h];
            into.addObject().put("hours_after", h + 1).put("read", byHour[h]).put("cumulative", cumulative);
        }
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    private static void percentiles(ObjectNode into, List<Long> millis) {
        into.put("count", millis.size());
        if (millis.isEmpty()) {
            return;
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        into.put("median", nearestRank(sorted, 0.5) / 1000.0);
        into.put("p90", nearestRank(sorted, 0.9) / 1000.0);
    }

    /** The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it. */
    static long nearestRank(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
