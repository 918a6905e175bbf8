package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.NewMessage;
import smppgw.model.Receipt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.Await;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Past the receipt window a message stops waiting: NO_RECEIPT is recorded and its correlation entry goes. */
class ReceiptWindowTest {
    @TempDir
    Path dir;

    @Test
    void messagesWithoutReceiptEndTheirWaitAndLateReceiptsNoLongerMatch() throws Exception {
        MutableClock clock = new MutableClock(1_800_000_000_000L);
        try (ChronicleMessageStore s = ChronicleMessageStore.open(dir, List.of("op"), Duration.ofHours(1), 64, 1024, clock,
                new StateLog(true, false))) {
            List<AcceptResult> r = s.accept(List.of(NewMessage.of("op", "", "ACME", "+33612345670", "a").build(),
                    NewMessage.of("op", "", "ACME", "+33612345671", "b").build())).get(10, TimeUnit.SECONDS);
            String waiting = r.get(0).id();
            String delivered = r.get(1).id();
            s.record(waiting, "op", Event.submitted(clock.millis(), 1, "a1", "op-0"));
            s.record(delivered, "op", Event.submitted(clock.millis(), 1, "b2", "op-0"));
            s.recordReceipt(new Receipt("op", "op-0", "b2", "DELIVRD", "000", null, null, clock.millis())).get(10, TimeUnit.SECONDS);
            s.recordReceipt(new Receipt("op", "op-0", "c3", "DELIVRD", "000", null, null, clock.millis())).get(10, TimeUnit.SECONDS);

            clock.advance(Duration.ofHours(1).plusSeconds(11)); // past the window and the next sweep
            Await.until(Duration.ofSeconds(10), () -> has(s, waiting, EventType.NO_RECEIPT), () -> s.find(waiting).toString());
            assertEquals(MessageState.SUBMITTED, s.find(waiting).orElseThrow().state());
            assertTrue(!has(s, delivered, EventType.NO_RECEIPT), "a delivered message gets no NO_RECEIPT");

            // the correlation entry is gone: a receipt now finds nothing
            s.recordReceipt(new Receipt("op", "op-0", "a1", "DELIVRD", "000", null, null, clock.millis())).get(10, TimeUnit.SECONDS);
            assertEquals(MessageState.SUBMITTED, s.find(waiting).orElseThrow().state());

            // the receipt parked for "c3" was dropped with the window: a submit with that id now matches nothing
            String late = s.accept(List.of(NewMessage.of("op", "", "ACME", "+33612345672", "c").build())).get(10, TimeUnit.SECONDS).get(0).id();
            s.record(late, "op", Event.submitted(clock.millis(), 1, "c3", "op-0"));
            s.barrier().get(10, TimeUnit.SECONDS);
            assertEquals(MessageState.SUBMITTED, s.find(late).orElseThrow().state());
        }
    }

    private static boolean has(MessageStore s, String id, EventType t) {
        return s.find(id).orElseThrow().events().stream().anyMatch(e -> e.type() == t);
    }
}
