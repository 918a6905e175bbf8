package smppgw.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import smppgw.model.Event;
import smppgw.model.NewMessage;
import smppgw.model.OptOut;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A campaign report over messages whose every event time is known, so every figure is exact. */
class CampaignReportTest {
    @TempDir
    Path dir;

    @Test
    void countsRatesPercentilesAndHoursOfSendingAreExact() {
        // 09:30 and 18:30 in Paris on a winter day (UTC+1)
        MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:30:00Z").toEpochMilli());
        try (ChronicleMessageStore s = ChronicleMessageStore.open(dir, List.of("op"), Duration.ofDays(3), 64, 1024, clock,
                new StateLog(true, false))) {
            String[] morning = new String[4];
            for (int i = 0; i < 4; i++) {
                morning[i] = accept(s, "+3361000000" + i, "soldes");
            }
            accept(s, "+33610000009", "other-campaign");
            long t0 = clock.millis();
            clock.advance(Duration.ofHours(9));
            String[] evening = {accept(s, "+33620000000", "soldes"), accept(s, "+33620000001", "soldes")};
            long t1 = clock.millis();

            // morning: 3 delivered after 2, 4, 6 s; one undelivered; two read (reply after 60 s, click after 600 s)
            deliver(s, morning[0], t0 + 2_000);
            deliver(s, morning[1], t0 + 4_000);
            deliver(s, morning[2], t0 + 6_000);
            s.record(morning[3], "op", Event.receipt(t0 + 3_000, "x3", "op-0", "UNDELIV", "001"));
            s.record(morning[0], "op", Event.read(t0 + 60_000, "reply", "OUI"));
            s.record(morning[1], "op", Event.read(t0 + 600_000, "click", "https://shop.example"));
            s.record(morning[1], "op", Event.read(t0 + 700_000, "code", "ABCD")); // a later signal: kept, not counted again
            // evening: read via code before any receipt (30 s), the other delivered after 8 s; its recipient opts out after
            s.record(evening[0], "op", Event.read(t1 + 30_000, "code", "EFGH"));
            deliver(s, evening[1], t1 + 8_000);
            s.recordOptOut(new OptOut("+33620000001", true, t1 + 20_000, "mo", "STOP", "36111")).join();
            s.recordOptOut(new OptOut("+33610000003", true, t0 - 1, "api", "acme", null)).join(); // before its message: not counted
            s.barrier().join();

            JsonNode r = CampaignReport.build(s, "soldes", null, ZoneId.of("Europe/Paris"));
            assertEquals(6, r.get("messages").asInt());
            assertEquals(2, r.at("/states/DELIVERED").asInt());
            assertEquals(3, r.at("/states/READ").asInt());
            assertEquals(1, r.at("/states/UNDELIVERED").asInt());
            assertEquals(4, r.get("delivered").asInt(), "carrier-confirmed only: the one read before any receipt is not");
            assertEquals(0.6667, r.get("delivery_rate").asDouble());
            assertEquals(5, r.get("reached").asInt(), "delivered, or read without a receipt");
            assertEquals(3, r.get("read").asInt());
            assertEquals(0.6, r.get("read_rate").asDouble());
            assertEquals(1, r.at("/clicks/unique").asInt());
            assertEquals(0, r.get("unattributed").asInt());
            assertEquals(1, r.at("/read_by_via/reply/read").asInt());
            assertEquals(1, r.at("/read_by_via/click/read").asInt());
            assertEquals(1, r.at("/read_by_via/code/read").asInt());
            assertEquals(1, r.get("opted_out").asInt());
            assertEquals(0.2, r.get("opt_out_rate").asDouble());
            // to deliver (DELIVRD receipts only): 2, 4, 6, 8 s → median 4, p90 8; to read: 60, 600, 30 s → median 60, p90 600
            assertEquals(4, r.at("/time_to_deliver_s/count").asInt());
            assertEquals(4.0, r.at("/time_to_deliver_s/median").asDouble());
            assertEquals(8.0, r.at("/time_to_deliver_s/p90").asDouble());
            assertEquals(60.0, r.at("/time_to_read_s/median").asDouble());
            assertEquals(600.0, r.at("/time_to_read_s/p90").asDouble());
            JsonNode hours = r.get("by_hour");
            assertEquals(2, hours.size());
            assertEquals(9, hours.get(0).get("hour").asInt(), "09:30 in Paris");
            assertEquals(4, hours.get(0).get("messages").asInt());
            assertEquals(3, hours.get(0).get("delivered").asInt());
            assertEquals(2, hours.get(0).get("read").asInt());
            assertEquals(60.0, hours.get(0).at("/time_to_read_s/median").asDouble());
            assertEquals(18, hours.get(1).get("hour").asInt());
            assertEquals(1, hours.get(1).get("delivered").asInt());
            assertEquals(1.0, hours.get(1).get("read_rate").asDouble() * 2, "1 read of 2 reached");
            assertEquals(0, CampaignReport.build(s, "nothing", null, ZoneId.of("UTC")).get("messages").asInt());
            assertEquals(0, CampaignReport.build(s, "soldes", "someone-else", ZoneId.of("UTC")).get("messages").asInt());
        }
    }

    private static String accept(ChronicleMessageStore s, String to, String campaign) {
        return s.accept(List.of(NewMessage.of("op", "acme", "36111", to, "Soldes").campaign(campaign).build()))
                .join().get(0).id();
    }

    private static void deliver(ChronicleMessageStore s, String id, long at) {
        s.record(id, "op", Event.receipt(at, "x", "op-0", "DELIVRD", "000"));
    }

    /**
     * A sharded group's report: each shard's counts, added up on the node asked, make the report one store with every
     * message gives — the same JSON, variants, follow-ups, hours, percentiles, opt-outs and the winner's test included.
     */
    @Test
    void countsOfSeveralStoresAddedUpMakeTheReportOfOneStoreWithThemAll() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-20T07:00:00Z").toEpochMilli());
        try (ChronicleMessageStore whole = ChronicleMessageStore.open(dir.resolve("whole"), List.of("op"), Duration.ofDays(3), 64, 1024, clock,
                new StateLog(true, false));
             ChronicleMessageStore a = ChronicleMessageStore.open(dir.resolve("a"), List.of("op"), Duration.ofDays(3), 64, 1024, clock,
                     new StateLog(true, false));
             ChronicleMessageStore b = ChronicleMessageStore.open(dir.resolve("b"), List.of("op"), Duration.ofDays(3), 64, 1024, clock,
                     new StateLog(true, false))) {
            java.util.Random random = new java.util.Random(17);
            for (int i = 0; i < 240; i++) {
                clock.advance(Duration.ofMinutes(7 + random.nextInt(20))); // over several hours of day
                String to = "+336" + (20_000_000 + i);
                String variant = i % 7 == 6 ? null : i % 3 == 0 ? "B" : "A";
                NewMessage m = NewMessage.of("op", "acme", "36111", to, "Soldes").campaign("soldes").build()
                        .asVariant(variant, variant == null, null);
                ChronicleMessageStore shard = random.nextBoolean() ? a : b;
                String[] ids = {whole.accept(List.of(m)).join().get(0).id(), shard.accept(List.of(m)).join().get(0).id()};
                long t = clock.millis();
                int fate = random.nextInt(10);
                long late = 1_000L * (1 + random.nextInt(5_000));
                for (int k = 0; k < 2; k++) {
                    ChronicleMessageStore s = k == 0 ? whole : shard;
                    String id = ids[k];
                    s.record(id, "op", Event.submitted(t + 100, 1, "x" + i, "op-0"));
                    if (fate < 7) {
                        s.record(id, "op", Event.receipt(t + late / 10, "x" + i, "op-0", fate == 6 ? "UNDELIV" : "DELIVRD", fate == 6 ? "001" : "000"));
                    }
                    if (fate < 4 || fate == 6 || fate == 8) { // read (after a failed receipt for 6; without a receipt for 8)
                        s.record(id, "op", Event.read(t + late, fate % 2 == 0 ? "click" : fate == 1 ? "reply" : "code", "x"));
                    }
                    if (fate == 2 && variant != null && variant.equals("B") || fate == 3) {
                        s.record(id, "op", Event.conversion(t + late + 5_000, "api", 10.0 + i % 4, null));
                    }
                    if (fate == 9) {
                        s.record(id, "op", Event.machineClick(t + 2_000, "https://shop.example", "scanner"));
                    }
                    if (i % 11 == 0) {
                        s.recordOptOut(new OptOut(to, true, t + late + 60_000, "mo", "STOP", "36111")).join();
                    }
                }
            }
            for (ChronicleMessageStore s : List.of(whole, a, b)) {
                s.barrier().join();
            }
            ZoneId paris = ZoneId.of("Europe/Paris");
            JsonNode one = CampaignReport.build(whole, "soldes", null, paris);
            JsonNode merged = CampaignReport.merged(List.of(CampaignReport.counts(a, "soldes", null, paris), CampaignReport.counts(b, "soldes", null, paris)),
                    "soldes", paris);
            assertEquals(240, one.get("messages").asInt());
            assertEquals(2, one.get("variants").size(), one::toString);
            assertEquals(true, one.path("winner_test").isObject() && one.path("follow_up").path("recipients").asInt() > 0
                    && one.path("opted_out").asInt() > 0 && one.path("non_human").path("messages").asInt() > 0 && one.path("by_hour").size() > 5, one::toString);
            assertEquals(one, merged);
            // a node answering for its shards adds their counts up and stays counts: the asking node's report is the same
            JsonNode twice = CampaignReport.merged(List.of(CampaignReport.mergedCounts(List.of(CampaignReport.counts(a, "soldes", null, paris))),
                    CampaignReport.counts(b, "soldes", null, paris)), "soldes", paris);
            assertEquals(one, twice);
        }
    }

    @Test
    void nearestRank() {
        assertEquals(2, CampaignReport.nearestRank(List.of(1L, 2L, 3L, 4L), 0.5));
        assertEquals(4, CampaignReport.nearestRank(List.of(1L, 2L, 3L, 4L), 0.9));
        assertEquals(7, CampaignReport.nearestRank(List.of(7L), 0.5));
    }
}
