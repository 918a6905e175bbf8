package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.Event;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.model.QueueEntry;
import smppgw.model.Receipt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChronicleMessageStoreTest {
    @TempDir
    Path dir;

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("orange", "sfr"), Duration.ofHours(72), 256, 1024,
                Clock.systemUTC(), new StateLog(true, true));
    }

    private static NewMessage msg(String op, String ref, String to) {
        return NewMessage.of(op, "", "ACME", to, "Bonjour").clientRef(ref).build();
    }

    private static List<AcceptResult> accept(MessageStore s, NewMessage... m) throws Exception {
        return s.accept(List.of(m)).get(10, TimeUnit.SECONDS);
    }

    private static void settle(ChronicleMessageStore s) throws Exception {
        s.barrier().get(10, TimeUnit.SECONDS);
    }

    @Test
    void acceptedMessageIsReadableAndQueuedForItsOperator() throws Exception {
        try (ChronicleMessageStore s = open()) {
            List<AcceptResult> r = accept(s, msg("orange", null, "+33612345678"), msg("sfr", null, "+33712345678"));
            assertEquals(2, r.size());
            assertNotEquals(r.get(0).id(), r.get(1).id());
            assertTrue(r.get(0).id().compareTo(r.get(1).id()) < 0, "ids are time-ordered");
            MessageView v = s.find(r.get(0).id()).orElseThrow();
            assertEquals(MessageState.ACCEPTED, v.state());
            assertEquals("+33612345678", v.message().to());
            assertEquals("orange", v.message().operator());

            try (MessageStore.QueueReader q = s.openQueue("orange")) {
                QueueEntry e = q.next();
                assertEquals(r.get(0).id(), e.message().id());
                assertNull(q.next(), "sfr's message is not in orange's queue");
            }
        }
    }

    @Test
    void backlogCountsEntriesAReaderHasNotReadYetEvenBeforeItsFirstRead() throws Exception {
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("orange")) {
            assertEquals(0, q.backlog());
            accept(s, msg("orange", null, "+33612345670"), msg("orange", null, "+33612345671"), msg("orange", null, "+33612345672"));
            assertEquals(3, q.backlog(), "a reader that never read counts from the first entry");
            q.next();
            assertEquals(2, q.backlog());
        }
    }

    @Test
    void sameClientRefReturnsSameIdEvenInOneBatch() throws Exception {
        try (ChronicleMessageStore s = open()) {
            List<AcceptResult> r = accept(s, msg("orange", "ref-1", "+33612345678"), msg("orange", "ref-1", "+33612345678"));
            assertEquals(r.get(0).id(), r.get(1).id());
            assertFalse(r.get(0).duplicate());
            assertTrue(r.get(1).duplicate());
            List<AcceptResult> again = accept(s, msg("orange", "ref-1", "+33612345678"));
            assertEquals(r.get(0).id(), again.get(0).id());
            assertEquals(r.get(0).id(), s.findByClientRef("", "ref-1").orElseThrow());
            try (MessageStore.QueueReader q = s.openQueue("orange")) {
                assertEquals(r.get(0).id(), q.next().message().id());
                assertNull(q.next(), "the duplicate was not queued");
            }
        }
    }

    @Test
    void receiptWithDecimalIdMatchesHexSubmitId() throws Exception {
        try (ChronicleMessageStore s = open()) {
            String id = accept(s, msg("orange", null, "+33612345678")).get(0).id();
            s.record(id, "orange", Event.submitted(1, 1, "39F99DD5", "orange-0"));
            s.recordReceipt(new Receipt("orange", "orange-1", "0972660181", "DELIVRD", "000", null, null, 2)).get(10, TimeUnit.SECONDS);
            MessageView v = s.find(id).orElseThrow();
            assertEquals(MessageState.DELIVERED, v.state());
            assertEquals(List.of("39F99DD5"), v.smscIds());
        }
    }

    @Test
    void receiptBeforeSubmitIsParkedThenMatched() throws Exception {
        try (ChronicleMessageStore s = open()) {
            String id = accept(s, msg("orange", null, "+33612345678")).get(0).id();
            s.recordReceipt(new Receipt("orange", "orange-1", "abc123", "UNDELIV", "001", null, null, 2)).get(10, TimeUnit.SECONDS);
            assertEquals(MessageState.ACCEPTED, s.find(id).orElseThrow().state());
            s.record(id, "orange", Event.submitted(3, 1, "ABC123", "orange-0"));
            settle(s);
            assertEquals(MessageState.UNDELIVERED, s.find(id).orElseThrow().state());
        }
    }

    @Test
    void aReceiptParkedBeforeARestartStillMatchesAfterIt() throws Exception {
        String id;
        try (ChronicleMessageStore s = open()) {
            id = accept(s, msg("orange", null, "+33612345678")).get(0).id();
            s.recordReceipt(new Receipt("orange", "orange-1", "0000FF", "DELIVRD", "000", null, null, 2)).get(10, TimeUnit.SECONDS);
        }
        try (ChronicleMessageStore s = open()) {
            s.record(id, "orange", Event.submitted(3, 1, "ff", "orange-0"));
            settle(s);
            assertEquals(MessageState.DELIVERED, s.find(id).orElseThrow().state());
        }
    }

    @Test
    void receiptsAreScopedToTheirOperator() throws Exception {
        try (ChronicleMessageStore s = open()) {
            String id = accept(s, msg("orange", null, "+33612345678")).get(0).id();
            s.record(id, "orange", Event.submitted(1, 1, "42", "orange-0"));
            s.recordReceipt(new Receipt("sfr", "sfr-0", "42", "DELIVRD", "000", null, null, 2)).get(10, TimeUnit.SECONDS);
            assertEquals(MessageState.SUBMITTED, s.find(id).orElseThrow().state());
        }
    }

    @Test
    void stateSurvivesReopenAndIsRebuiltFromTheJournalAlone() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ChronicleMessageStore s = open()) {
            for (AcceptResult r : accept(s, msg("orange", "a", "+33612345670"), msg("orange", "b", "+33612345671"))) {
                ids.add(r.id());
            }
            s.record(ids.get(0), "orange", Event.submitted(5, 1, "1f", "orange-0"));
            s.recordReceipt(new Receipt("orange", "orange-0", "31", "DELIVRD", "000", null, null, 6)).get(10, TimeUnit.SECONDS);
            s.record(ids.get(1), "orange", Event.failed(7, 1, 0x0B, "invalid destination"));
            settle(s);
        }
        try (ChronicleMessageStore s = open()) {
            assertEquals(MessageState.DELIVERED, s.find(ids.get(0)).orElseThrow().state());
            assertEquals(MessageState.FAILED, s.find(ids.get(1)).orElseThrow().state());
        }
        deleteTree(dir.resolve("state"));
        try (ChronicleMessageStore s = open()) {
            assertEquals(MessageState.DELIVERED, s.find(ids.get(0)).orElseThrow().state(), "rebuilt from the journal");
            assertEquals(MessageState.FAILED, s.find(ids.get(1)).orElseThrow().state());
            assertEquals(ids.get(1), s.findByClientRef("", "b").orElseThrow());
            // a receipt that arrives after the rebuild still finds its message
            String third = accept(s, msg("orange", null, "+33612345672")).get(0).id();
            s.record(third, "orange", Event.submitted(8, 1, "77", "orange-0"));
            s.recordReceipt(new Receipt("orange", "orange-0", "77", "EXPIRED", "001", null, null, 9)).get(10, TimeUnit.SECONDS);
            assertEquals(MessageState.EXPIRED, s.find(third).orElseThrow().state());
        }
    }

    @Test
    void readerResumesFromCommittedCursorAndMarksWhatWasQueuedBeforeTheRestart() throws Exception {
        List<String> ids = new ArrayList<>();
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("orange")) { // opened at start, as the dispatcher does
            for (int i = 0; i < 5; i++) {
                ids.add(accept(s, msg("orange", null, "+3361234567" + i)).get(0).id());
            }
            {
                q.next();
                QueueEntry second = q.next(); // read, sent, then "crash" before its response
                assertFalse(second.recovered());
                q.next();
                q.commit(second.index()); // the cursor cannot pass the unresolved second
            }
            settle(s);
        }
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("orange")) {
            String late = accept(s, msg("orange", null, "+33612345679")).get(0).id();
            List<String> again = new ArrayList<>();
            List<Boolean> recovered = new ArrayList<>();
            for (QueueEntry e = q.next(); e != null; e = q.next()) {
                again.add(e.message().id());
                recovered.add(e.recovered());
            }
            // from the second on; those queued before the restart are marked so their history is checked
            assertEquals(List.of(ids.get(1), ids.get(2), ids.get(3), ids.get(4), late), again);
            assertEquals(List.of(true, true, true, true, false), recovered);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
