package smppgw.store.chronicle;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import smppgw.model.AcceptResult;
import smppgw.model.MessageState;
import smppgw.store.MessageStore;
import smppgw.model.NewMessage;
import smppgw.model.QueueEntry;
import smppgw.model.Receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crash (or, in older versions, a full disk) in the middle of writing a record leaves it torn: its length written,
 * part of its body not. Recovery leaves such a record out with a log line, the store starts and takes writes, and the
 * state rebuilt from the journal alone is the same.
 */
class TornJournalTest {
    @TempDir
    Path dir;

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("orange"), Duration.ofHours(72), 256, 1024, Clock.systemUTC(),
                new StateLog(true, false));
    }

    private static List<String> accept(ChronicleMessageStore s, int n, String prefix) throws Exception {
        List<NewMessage> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.add(NewMessage.of("orange", "", "ACME", "+3361234" + String.format("%04d", i), prefix + " " + i).build());
        }
        List<String> ids = new ArrayList<>();
        for (NewMessage one : m) { // one record each
            ids.add(s.accept(List.of(one)).get(10, TimeUnit.SECONDS).get(0).id());
        }
        return ids;
    }

    /** Cuts the file holding the last record of {@code queueDir} in the middle of that record; returns its length. */
    private static int tearLastRecord(Path queueDir) throws Exception {
        long start;
        int length;
        File file;
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(queueDir).build();
             ExcerptTailer t = q.createTailer().direction(TailerDirection.BACKWARD).toEnd();
             DocumentContext dc = t.readingDocument()) {
            assertTrue(dc.isPresent());
            start = dc.wire().bytes().readPosition();
            length = (int) dc.wire().bytes().readRemaining();
            file = t.currentFile();
        }
        try (FileChannel ch = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            ch.truncate(start + length / 2); // what a crash mid-write leaves: the rest reads as zeros
        }
        return length;
    }

    @Test
    void aReceiptTornAtTheJournalsEndIsLeftOutAndTheStoreStartsAndRebuilds() throws Exception {
        List<String> ids;
        try (ChronicleMessageStore s = open()) {
            ids = accept(s, 5, "Bonjour");
            s.recordReceipt(new Receipt("orange", "orange-0", "abc123", "DELIVRD", "000", null, null, System.currentTimeMillis()))
                    .get(10, TimeUnit.SECONDS);
        }
        tearLastRecord(dir.resolve("journal"));
        Files.walk(dir.resolve("state")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // replay all of it
        long before = smppgw.store.chronicle.TornRecords.count();
        List<String> more;
        try (ChronicleMessageStore s = open()) {
            assertEquals(before + 1, smppgw.store.chronicle.TornRecords.count(), "the torn receipt is left out");
            for (String id : ids) {
                assertEquals(MessageState.ACCEPTED, s.find(id).orElseThrow().state());
            }
            more = accept(s, 3, "Encore"); // and it takes writes after it
        }
        try (ChronicleMessageStore s = open()) { // restart: the torn record is behind the applied index now
            for (String id : more) {
                assertNotNull(s.find(id).orElse(null));
            }
        }
        Files.walk(dir.resolve("state")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (ChronicleMessageStore s = open()) { // rebuilt from the journal: the torn record, now in the middle, is left out again
            for (String id : ids) {
                assertEquals("Bonjour " + ids.indexOf(id), s.find(id).orElseThrow().message().text());
            }
            for (String id : more) {
                assertEquals("Encore " + more.indexOf(id), s.find(id).orElseThrow().message().text());
            }
        }
    }

    @Test
    void aMessageTornInJournalAndQueueIsLeftOutAndTheOthersAreStillSent() throws Exception {
        List<String> ids;
        try (ChronicleMessageStore s = open()) {
            ids = accept(s, 4, "Bonjour");
        }
        tearLastRecord(dir.resolve("journal")); // the crash came while the last message was being written
        tearLastRecord(dir.resolve("queues").resolve("orange"));
        Files.walk(dir.resolve("state")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("orange")) {
            List<String> queued = new ArrayList<>();
            for (QueueEntry e; (e = q.next()) != null; ) {
                queued.add(e.message().id());
            }
            assertEquals(ids.subList(0, 3), queued, "the three whole ones are sent; the torn one was never acknowledged");
            assertTrue(s.find(ids.get(3)).isEmpty());
            List<String> more = accept(s, 1, "Encore");
            QueueEntry next = q.next();
            assertEquals(more.get(0), next.message().id(), "new messages are queued after it");
        }
    }

    @Test
    void aTornQueueEntryWhoseJournalRecordIsWholeIsReadFromTheJournal() throws Exception {
        List<String> ids;
        try (ChronicleMessageStore s = open()) {
            ids = accept(s, 3, "Bonjour");
        }
        tearLastRecord(dir.resolve("queues").resolve("orange"));
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("orange")) {
            List<String> queued = new ArrayList<>();
            for (QueueEntry e; (e = q.next()) != null; ) {
                queued.add(e.message().id());
                assertEquals("Bonjour " + ids.indexOf(e.message().id()), e.message().text());
            }
            assertTrue(queued.containsAll(ids), "every message is sent: " + queued);
        }
    }
}
