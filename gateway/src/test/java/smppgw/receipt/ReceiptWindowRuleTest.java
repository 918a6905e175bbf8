package smppgw.receipt;

import org.junit.jupiter.api.Test;

import java.util.List;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.Receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The receipt window's sweep, on an in-memory state: which parts leave the index, who gets NO_RECEIPT, which parked receipts go. */
class ReceiptWindowRuleTest {
    private static final long WINDOW = 1000;
    private final Replayer journal = new Replayer();

    private void submitted(String id, long at, String smscId, Integer part, Integer parts) {
        if (journal.state.message(id) == null) {
            journal.write(Entry.accepted(new Message(id, 0, "op", "acme", null, "ACME", "+33612345678", "x", null, null, null, null, null, null,
                    null, null, null)));
        }
        Event e = Event.submitted(at, 1, smscId, "op-0");
        journal.write(Entry.event(id, "op", part == null ? e : e.ofPart(part, parts)));
    }

    private ReceiptWindow.Sweep sweep(long now) {
        ReceiptWindow.Sweep s = ReceiptWindow.sweep(now, WINDOW, "1s", journal.state, journal.state);
        s.entries().forEach(journal::write);
        return s;
    }

    @Test
    void aPartOverdueLeavesTheIndexAndItsMessageGetsOneNoReceipt() {
        submitted("multi", 100, "a1", 1, 2);
        submitted("multi", 100, "a2", 2, 2);
        submitted("done", 100, "b1", null, null);
        journal.write(Entry.receipt(new Receipt("op", "op-0", "b1", "DELIVRD", "000", null, null, 200, "33612345678")));
        submitted("young", 500, "c1", null, null);
        ReceiptWindow.Sweep s = sweep(1100); // before 100: nothing is overdue yet (strictly before now - window)
        assertTrue(s.entries().isEmpty());
        s = sweep(1101);
        assertEquals(List.of("multi"), s.entries().stream().map(Entry::id).toList(), "once for the message, not per part; not the delivered one");
        assertNull(journal.state.submitted("op", "a1"));
        assertNull(journal.state.submitted("op", "b1"), "a settled one leaves the index too");
        assertEquals("young", journal.state.submitted("op", "c1").id());
        assertEquals(1, journal.state.events("multi").stream().filter(e -> e.type() == EventType.NO_RECEIPT).count());
        assertTrue(sweep(1102).entries().isEmpty(), "and never again");
    }

    @Test
    void receiptsParkedLongerThanTheWindowAreDropped() {
        journal.write(Entry.receipt(new Receipt("op", "op-0", "zz", "DELIVRD", "000", null, null, 100)));
        journal.write(Entry.receipt(new Receipt("op", "op-0", "yy", "DELIVRD", "000", null, null, 900)));
        assertEquals(1, sweep(1200).dropped());
        assertTrue(journal.state.parked("op", "zz").isEmpty());
        assertEquals(1, journal.state.parked("op", "yy").size());
    }
}
