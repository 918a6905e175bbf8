package smppgw.store.chronicle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import smppgw.model.NewMessage;
import smppgw.store.JournalTail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal written back from a copy of its records (what {@code store.type: kafka} restores from its topic): each
 * record at its own index, a copy with a gap refused, what clients had been served kept for the recovery, and a
 * journal set aside when it is not the one to go on with.
 */
class JournalRestoreTest {
    @TempDir
    Path dir;

    private record Rec(long index, byte[] data) {
    }

    /** A real journal: 50 messages accepted, and a SERVED record for client acme after the 40th. */
    private List<Rec> source() throws Exception {
        Path src = dir.resolve("src");
        try (ChronicleMessageStore s = ChronicleMessageStore.open(src, List.of("orange"), Duration.ofHours(72), 256, 1024, Clock.systemUTC(),
                new StateLog(true, false))) {
            for (int i = 0; i < 50; i++) {
                s.accept(List.of(NewMessage.of("orange", "", "ACME", "+3361234" + String.format("%04d", i), "m" + i).build())).get(10, TimeUnit.SECONDS);
                if (i == 39) {
                    s.writer.submit(new smppgw.journal.Command.Served("acme", 1234));
                    s.barrier().get(10, TimeUnit.SECONDS);
                }
            }
        }
        List<Rec> out = new ArrayList<>();
        try (Journal j = new Journal(src, List.of("orange"), List.of(), System::currentTimeMillis); JournalTail t = j.tail(-1)) {
            while (t.next((index, data) -> out.add(new Rec(index, data)))) {
                // all of it
            }
        }
        return out;
    }

    @Test
    void everyRecordGoesBackAtItsIndexAndWhatWasServedIsKept() throws Exception {
        List<Rec> recs = source();
        assertEquals(51, recs.size());
        Path to = dir.resolve("to");
        Files.createDirectories(to);
        long n = JournalRestore.restore(to, v -> recs.forEach(r -> {
            v.record(r.index(), r.data());
            v.record(r.index(), r.data()); // a copy holding a record twice: skipped
        }));
        assertEquals(51, n);
        for (Rec r : recs) {
            assertArrayEquals(r.data(), JournalRestore.record(to, r.index()), "record " + Long.toHexString(r.index()));
        }
        assertNull(JournalRestore.record(to, recs.get(50).index() + 1));
        assertEquals(Map.of("acme", 1234L), ServedNotifications.restored(to));
        assertThrows(IllegalStateException.class, () -> JournalRestore.restore(to, v -> { }), "a journal that is not empty is not written over");
    }

    @Test
    void aJournalThatEndsWhereTheCopyWentOnCatchesUpAndOneThatWentOnDifferentlyDoesNot() throws Exception {
        List<Rec> recs = source();
        Path to = dir.resolve("behind");
        Files.createDirectories(to);
        JournalRestore.restore(to, v -> recs.subList(0, 30).forEach(r -> v.record(r.index(), r.data())));
        assertEquals(21, JournalRestore.catchUp(to, v -> recs.forEach(r -> v.record(r.index(), r.data()))));
        for (Rec r : recs) {
            assertArrayEquals(r.data(), JournalRestore.record(to, r.index()));
        }
        assertEquals(Map.of("acme", 1234L), ServedNotifications.restored(to), "what the appended records say was served");

        Path other = dir.resolve("diverged");
        Files.createDirectories(other);
        JournalRestore.restore(other, v -> recs.subList(0, 30).forEach(r -> v.record(r.index(), r.data())));
        Rec changed = recs.get(29);
        List<Rec> copy = new ArrayList<>(recs);
        copy.set(29, new Rec(changed.index(), "another node's record".getBytes()));
        assertEquals(-1, JournalRestore.catchUp(other, v -> copy.forEach(r -> v.record(r.index(), r.data()))));
        assertNull(JournalRestore.record(other, recs.get(30).index()), "nothing appended");
        assertEquals(-1, JournalRestore.catchUp(other, v -> recs.subList(0, 20).forEach(r -> v.record(r.index(), r.data()))),
                "a copy that ends before the journal does: nothing to catch up with");
    }

    @Test
    void aCopyWithAGapIsRefused() throws Exception {
        List<Rec> recs = source();
        Path to = dir.resolve("gap");
        Files.createDirectories(to);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JournalRestore.restore(to, v -> {
            for (int i = 0; i < recs.size(); i++) {
                if (i != 20) {
                    v.record(recs.get(i).index(), recs.get(i).data());
                }
            }
        }));
        assertTrue(e.getMessage().contains("gap"), e.getMessage());
    }

    @Test
    void aJournalSetAsideLeavesTheDataDirectoryEmptyAndKeepsOnlyTheLastOneSetAside() throws Exception {
        source();
        Path src = dir.resolve("src");
        Path first = JournalRestore.setAside(src);
        assertTrue(JournalRestore.empty(src));
        assertTrue(Files.isDirectory(first.resolve("journal")) && Files.isDirectory(first.resolve("state")));
        Files.createDirectories(src.resolve("journal"));
        Path second = JournalRestore.setAside(src);
        assertTrue(Files.exists(second) && !Files.exists(first), "the one set aside before is deleted");
    }
}
