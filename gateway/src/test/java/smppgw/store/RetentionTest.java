package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.Cap;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.model.OptOut;
import smppgw.model.PurgeReport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import smppgw.report.CampaignReport;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.Await;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention with a clock moved by days: once a message is older than the retention period, no file under the data
 * directory holds its text, its recipient's number, the reply it got or a handset message of that time, while its
 * state, its history and the campaign report stay as they were.
 */
class RetentionTest {
    private static final Duration RETENTION = Duration.ofDays(3);
    private static final long DAY = Duration.ofDays(1).toMillis();
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z").toEpochMilli());

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("op"), Set.of("acme"), Map.of("36111", "acme"), Map.of(), Duration.ofHours(48),
                Duration.ofHours(1), RETENTION, 64, 1024, clock, new StateLog(true, false));
    }

    private static String accept(ChronicleMessageStore s, String to, String text, Map<String, String> links, Long sendAt) {
        return accept(s, to, text, links, sendAt, "spring");
    }

    private static String accept(ChronicleMessageStore s, String to, String text, Map<String, String> links, Long sendAt, String campaign) {
        return s.accept(List.of(NewMessage.of("op", "acme", "36111", to, text).messageClass(Message.PROMOTIONAL)
                .cap(new Cap(5, DAY)).links(links).campaign(campaign).sendAt(sendAt).build())).join().get(0).id();
    }

    /** Reads the operator queue and the client's notifications to the end and commits both, as the dispatcher and a webhook would. */
    private static void drain(ChronicleMessageStore s) {
        try (MessageStore.QueueReader q = s.openQueue("op"); MessageStore.NotificationReader n = s.openNotifications("acme", "hook")) {
            while (q.next() != null) {
                // read
            }
            q.commit(q.position());
            while (n.next() != null) {
                // read
            }
            n.commit(n.position());
        }
        s.barrier().join();
    }

    @Test
    void afterTheRetentionPeriodNoFileHoldsTextOrNumbersWhileStatesHistoriesAndReportsStay() throws Exception {
        long t0 = clock.millis();
        String old;
        String optedOut;
        String held;
        String recent;
        JsonNode before;
        try (ChronicleMessageStore s = open()) {
            old = accept(s, "+33611112222", "Offre secrete-4242 https://go.example/tok1",
                    Map.of("tok1", "https://shop.example/p?u=u4242"), null);
            optedOut = accept(s, "+33677778888", "Offre secrete-1313", null, null);
            held = accept(s, "+33633334444", "rappel-7777", null, t0 + 5 * DAY);
            s.record(old, "op", Event.submitted(t0 + 1_000, 1, "a1", "op-0"));
            s.record(old, "op", Event.receipt(t0 + 3_000, "a1", "op-0", "DELIVRD", "000"));
            s.record(optedOut, "op", Event.receipt(t0 + 4_000, "a2", "op-0", "DELIVRD", "000"));
            s.recordInbound(new Inbound("mo-1", t0 + 60_000, "op", "op-0", "+33611112222", "36111", "OUI merci-5555")).join();
            s.recordInbound(new Inbound("mo-2", t0 + 70_000, "op", "op-0", "+33699998888", "36111", "bonjour-6666")).join();
            s.recordOptOut(new OptOut("+33677778888", true, t0 + 80_000, "mo", "STOP", "36111")).join();
            assertEquals(MessageState.READ, s.find(old).orElseThrow().state());
            assertTrue(s.readProfile(smppgw.model.ReadProfile.recipientKey("+33611112222")).isPresent(), "the reply made a read profile");
            assertTrue(s.link("tok1").isPresent());
            drain(s);
            before = CampaignReport.build(s, "spring", null, ZoneOffset.UTC);
            assertEquals(1, before.get("opted_out").asInt(), "the report counts the opt-out before the purge");

            clock.advance(Duration.ofDays(4)); // day 4: day 0 is past the 3-day retention; day 1 is the cutoff
            recent = accept(s, "+33655556666", "nouveau-8888", null, null, "summer");
            drain(s);

            PurgeReport r = s.purge().get(60, TimeUnit.SECONDS);
            assertEquals(2, r.messages(), "the two sent on day 0; the one held until day 5 is not purged yet");
            assertEquals(2, r.inbound());
            List<String> files = r.files().stream().map(f -> dir.relativize(Path.of(f)).toString()).sorted().toList();
            assertEquals(List.of("journal/20260302F.cq4", "notify/acme/20260302F.cq4", "queues/op/20260302F.cq4"), files);

            MessageView v = s.find(old).orElseThrow();
            assertNull(v.message().text());
            assertNull(v.message().to());
            assertNull(v.message().links());
            assertEquals(clock.millis(), v.message().purgedAt());
            assertEquals("spring", v.message().campaign());
            assertEquals(MessageState.READ, v.state(), "the history stays");
            Event read = v.events().stream().filter(e -> e.type() == EventType.READ).findFirst().orElseThrow();
            assertEquals("reply", read.via());
            assertNull(read.reason(), "the reply's words go");
            assertTrue(s.link("tok1").isEmpty(), "the link's target is gone");
            assertTrue(s.readProfile(smppgw.model.ReadProfile.recipientKey("+33611112222")).isEmpty(),
                    "the recipient's read profile (send_time best) goes with the messages it was made of");
            assertEquals(List.of(), s.recentInbound(10));
            assertEquals("rappel-7777", s.find(held).orElseThrow().message().text());
            assertEquals("nouveau-8888", s.find(recent).orElseThrow().message().text());
            assertEquals(before, CampaignReport.build(s, "spring", null, ZoneOffset.UTC), "the report does not change");

            List<String> everywhere = contents();
            for (String gone : List.of("secrete-4242", "u4242", "33611112222", "merci-5555", "bonjour-6666", "33699998888", "secrete-1313")) {
                assertEquals(List.of(), holding(gone), gone + " is still in a file under the data directory");
            }
            assertTrue(everywhere.stream().anyMatch(c -> c.contains("nouveau-8888")), "the scan finds what is kept");
            assertTrue(everywhere.stream().anyMatch(c -> c.contains("33677778888")), "the suppression list keeps the numbers it stops");

            // day 6: the held message is released and sent; on day 10 its day's files are wholly past retention too (files go by the day)
            clock.advance(Duration.ofDays(2));
            Await.until(Duration.ofSeconds(10), () -> s.find(held).orElseThrow().state() != MessageState.SCHEDULED, () -> "the held message was not released");
            drain(s);
            clock.advance(Duration.ofDays(4));
            accept(s, "+33655556666", "encore-9999", null, null, "summer");
            drain(s);
            assertEquals(2, s.purge().get(60, TimeUnit.SECONDS).messages(), "the held one, sent on day 6, and day 4's");
            assertNull(s.find(held).orElseThrow().message().text());
            assertNull(s.find(recent).orElseThrow().message().text());
            assertEquals(List.of(), holding("rappel-7777"), "the released message's text is gone too");
        }
        try (ChronicleMessageStore s = open()) { // restarts on what is left of the journal
            assertNull(s.find(old).orElseThrow().message().text());
            assertEquals(MessageState.READ, s.find(old).orElseThrow().state());
            assertEquals(0, s.purge().get(60, TimeUnit.SECONDS).messages(), "nothing is purged twice");
        }
    }

    /** Purge steps run between the journal thread's batches: intake going on meanwhile loses nothing and gets nothing stripped. */
    @Test
    void aPurgeWhileMessagesKeepComingStripsOnlyTheOldOnes() throws Exception {
        try (ChronicleMessageStore s = open()) {
            List<String> old = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                List<NewMessage> batch = new ArrayList<>();
                for (int j = 0; j < 100; j++) {
                    batch.add(NewMessage.of("op", "acme", "36111", "+3361" + String.format("%08d", i * 100 + j), "ancien " + j).build());
                }
                s.accept(batch).join().forEach(r -> old.add(r.id()));
            }
            clock.advance(Duration.ofDays(4));
            java.util.concurrent.CompletableFuture<PurgeReport> purge = s.purge();
            List<java.util.concurrent.CompletableFuture<List<AcceptResult>>> fresh = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                fresh.add(s.accept(List.of(NewMessage.of("op", "acme", "36111", "+33699990000", "nouveau " + i).build())));
            }
            assertEquals(5_000, purge.get(60, TimeUnit.SECONDS).messages());
            for (int i = 0; i < fresh.size(); i++) {
                String id = fresh.get(i).join().get(0).id();
                assertEquals("nouveau " + i, s.find(id).orElseThrow().message().text());
            }
            assertTrue(old.stream().allMatch(id -> s.find(id).orElseThrow().message().text() == null), "every old one is stripped");
            assertTrue(old.stream().allMatch(id -> s.find(id).orElseThrow().state() == MessageState.ACCEPTED), "and keeps its state");
        }
    }

    /**
     * A reader commits the index after the last entry it read. Once the queue has rolled to a new day's file that index
     * exists nowhere; a restart must resume after it, not from the oldest entry (which re-sent every webhook ever).
     */
    @Test
    void aCursorCommittedAtTheEndOfADayResumesThereAfterTheQueueRolledToTheNextDay() {
        String b;
        try (ChronicleMessageStore s = open()) {
            accept(s, "+33611112222", "hier", null, null);
            drain(s);
            clock.advance(Duration.ofDays(1));
            b = accept(s, "+33611112222", "aujourd'hui", null, null);
        }
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("op");
             MessageStore.NotificationReader n = s.openNotifications("acme", "hook")) {
            assertEquals(b, q.next().message().id(), "the queue resumes at today's first message");
            assertNull(q.next());
            MessageStore.Indexed first = n.next();
            assertEquals(b, first.notification().id(), "notifications resume at today's first one");
            assertNull(n.next());
        }
    }

    /** The files under the data directory that contain {@code s}. */
    private List<String> holding(String s) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(s)) {
                    out.add(dir.relativize(f).toString());
                }
            }
        }
        return out;
    }

    /** Every regular file under the data directory, as ISO-8859-1 text (any byte sequence survives). */
    private List<String> contents() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
