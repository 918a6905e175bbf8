package smppgw.store.chronicle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import smppgw.model.Event;
import smppgw.model.MessageState;
import smppgw.model.NewMessage;
import smppgw.model.Notification;
import smppgw.store.JournalTail;
import smppgw.store.MessageStore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm standby's copy of its group's journal, batch after batch ({@link JournalMirror}): each record at its index, the
 * state applied as it comes without the journal thread, a local journal that went on differently refused, and the
 * notification readers of the node that then serves from the copy starting after what had been served.
 */
class JournalMirrorTest {
    @TempDir
    Path dir;

    private record Rec(long index, byte[] data) {
    }

    private record Source(List<Rec> records, List<String> ids, long servedThrough) {
    }

    /** A real journal with a notified client: 30 messages accepted and SUBMITTED, a SERVED record for acme after the 20th. */
    private Source source(Path src) throws Exception {
        List<String> ids = new ArrayList<>();
        long servedThrough = -1;
        try (ChronicleMessageStore s = open(src, true)) {
            for (int i = 0; i < 30; i++) {
                String id = s.accept(List.of(NewMessage.of("orange", "acme", "ACME", "+3361234" + String.format("%04d", i), "m" + i).build()))
                        .get(10, TimeUnit.SECONDS).get(0).id();
                ids.add(id);
                s.record(id, "orange", Event.submitted(System.currentTimeMillis(), 1, "smsc-" + i, "b0"));
                s.barrier().get(10, TimeUnit.SECONDS);
                if (i == 19) {
                    try (JournalTail t = s.tail(-1)) {
                        servedThrough = t.lastIndex();
                    }
                    s.writer.submit(new smppgw.journal.Command.Served("acme", servedThrough));
                    s.barrier().get(10, TimeUnit.SECONDS);
                }
            }
        }
        return new Source(records(src), ids, servedThrough);
    }

    private static ChronicleMessageStore open(Path d, boolean journalThread) {
        return open(d, journalThread, Clock.systemUTC(), Duration.ZERO);
    }

    private static ChronicleMessageStore open(Path d, boolean journalThread, Clock clock, Duration retention) {
        return ChronicleMessageStore.open(d, List.of("orange"), Set.of("acme"), java.util.Map.of(), java.util.Map.of(), java.util.Map.of(),
                java.util.Map.of(), Duration.ZERO, Duration.ofHours(72), retention, 256, 1024, clock, new StateLog(true, false), "",
                smppgw.policy.Keywords.defaults(), journalThread, -1);
    }

    private static List<Rec> records(Path src) {
        List<Rec> out = new ArrayList<>();
        try (Journal j = new Journal(src, List.of("orange"), List.of(), System::currentTimeMillis); JournalTail t = j.tail(-1)) {
            while (t.next((index, data) -> out.add(new Rec(index, data)))) {
                // all of it
            }
        }
        return out;
    }

    @Test
    void aStandbysCopyPurgesWhatAgedOutOfRetentionAsTheActiveNodeWould() throws Exception {
        smppgw.testing.MutableClock clock = new smppgw.testing.MutableClock(java.time.Instant.parse("2026-03-02T10:00:00Z").toEpochMilli());
        Duration retention = Duration.ofDays(3);
        Path src = dir.resolve("src");
        String old;
        String recent;
        try (ChronicleMessageStore s = open(src, true, clock, retention)) {
            old = s.accept(List.of(NewMessage.of("orange", "acme", "ACME", "+33611112222", "secret-4242").build())).get(10, TimeUnit.SECONDS).get(0).id();
            clock.advance(Duration.ofDays(4));
            recent = s.accept(List.of(NewMessage.of("orange", "acme", "ACME", "+33655556666", "new-8888").build())).get(10, TimeUnit.SECONDS).get(0).id();
        }
        Path to = dir.resolve("to");
        Files.createDirectories(to);
        List<Rec> recs = records(src);
        assertEquals(recs.size(), new JournalMirror(to).append(v -> recs.forEach(r -> v.record(r.index(), r.data()))));
        try (ChronicleMessageStore copy = open(to, false, clock, retention)) {
            assertEquals(null, copy.find(old).orElseThrow().message().text(), "the day-0 message's text is purged in the copy");
            assertEquals(null, copy.find(old).orElseThrow().message().to());
            assertEquals(MessageState.ACCEPTED, copy.find(old).orElseThrow().state(), "its history stays");
            assertEquals("new-8888", copy.find(recent).orElseThrow().message().text(), "what is within retention is kept");
        }
    }

    /** Hands over {@code recs[from, to)}, with the ones before {@code from} again (a source read from its beginning repeats them). */
    private static java.util.function.Consumer<JournalTail.Visitor> batch(List<Rec> recs, int from, int to) {
        return v -> recs.subList(0, to).forEach(r -> v.record(r.index(), r.data()));
    }

    private static List<Notification> notifications(ChronicleMessageStore s) {
        List<Notification> out = new ArrayList<>();
        try (MessageStore.NotificationReader r = s.openNotifications("acme", "webhook")) {
            for (MessageStore.Indexed n; (n = r.next()) != null; ) {
                out.add(n.notification());
            }
        }
        return out;
    }

    @Test
    void batchAfterBatchTheCopyIsTheJournalWithItsStateAndItsReadersStartAfterWhatWasServed() throws Exception {
        Source src = source(dir.resolve("src"));
        List<Rec> recs = src.records();
        assertEquals(61, recs.size(), "30 accepted, 30 submitted, 1 served");
        Path to = dir.resolve("to");
        Files.createDirectories(to);
        JournalMirror mirror = new JournalMirror(to);
        assertEquals(25, mirror.append(batch(recs, 0, 25)));
        try (ChronicleMessageStore copy = open(to, false)) {
            assertEquals(25, copy.replayedAtOpen());
            assertEquals(MessageState.SUBMITTED, copy.find(src.ids().get(0)).orElseThrow().state());
            assertFalse(copy.find(src.ids().get(29)).isPresent(), "not copied yet");
            assertEquals(36, mirror.append(batch(recs, 25, 61)), "the rest; what came before again is passed by");
            assertEquals(0, mirror.append(batch(recs, 61, 61)), "nothing new");
            assertEquals(36, JournalMirror.apply(copy));
            assertEquals(MessageState.SUBMITTED, copy.find(src.ids().get(29)).orElseThrow().state());
            assertTrue(notifications(copy).stream().anyMatch(n -> n.journalIndex() <= src.servedThrough()),
                    "the copy's queue holds notifications the active node served: readers must not start at its beginning");
            JournalMirror.beforeServing(copy);
        }
        for (Rec r : recs) {
            assertArrayEquals(r.data(), JournalRestore.record(to, r.index()), "record " + Long.toHexString(r.index()));
        }
        try (ChronicleMessageStore served = open(to, true)) {
            assertEquals(0, served.replayedAtOpen(), "the copy was applied to the end: nothing to replay");
            List<Notification> told = notifications(served);
            assertFalse(told.isEmpty(), "what was not served is told");
            assertTrue(told.stream().allMatch(n -> n.journalIndex() > src.servedThrough()), () -> "told again what was served: " + told.get(0));
            assertTrue(told.stream().anyMatch(n -> src.ids().get(29).equals(n.id())), "the last message's notifications are told");
        }
    }

    @Test
    void aLocalJournalThatWentOnDifferentlyIsRefusedAndOneThatStoppedEarlierGoesOn() throws Exception {
        List<Rec> recs = source(dir.resolve("src")).records();
        List<Rec> other = source(dir.resolve("other")).records();
        assertEquals(recs.get(10).index(), other.get(10).index());

        Path differs = dir.resolve("differs");
        Files.createDirectories(differs);
        JournalRestore.restore(differs, v -> {
            recs.subList(0, 10).forEach(r -> v.record(r.index(), r.data()));
            v.record(other.get(10).index(), other.get(10).data()); // this node's own record 10, never copied to the topic
        });
        JournalMirror m = new JournalMirror(differs);
        assertEquals(0, m.append(batch(recs, 0, 10)), "the topic has not reached the local end yet: nothing to tell");
        assertEquals(-1, m.append(batch(recs, 10, 61)), "the topic's record 10 is not the local one");
        assertArrayEquals(other.get(10).data(), JournalRestore.record(differs, other.get(10).index()), "nothing written over it");
        assertEquals(-1, m.append(batch(recs, 61, 61)), "a mirror that found the journal not to be the group's appends nothing more");

        Path behind = dir.resolve("behind");
        Files.createDirectories(behind);
        JournalRestore.restore(behind, v -> recs.subList(0, 10).forEach(r -> v.record(r.index(), r.data())));
        assertEquals(51, new JournalMirror(behind).append(batch(recs, 0, 61)));
        assertArrayEquals(recs.get(60).data(), JournalRestore.record(behind, recs.get(60).index()));
    }
}
