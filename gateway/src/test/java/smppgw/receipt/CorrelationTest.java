package smppgw.receipt;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Receipt;
import smppgw.state.Change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receipts onto message parts, on an in-memory state: on time, before their submit, across id spellings and accounts. */
class CorrelationTest {
    private static Message message(String id, String op) {
        return new Message(id, 1_000, op, "acme", null, "ACME", "+33612345678", "hi", null, null, null, null, null, null, null, null, null);
    }

    /** A receipt from the handset the test messages go to (the SMSC leaves out the '+'). */
    private static Receipt receipt(String op, String smscId, String stat, long at) {
        return new Receipt(op, op + "-0", smscId, stat, "000", null, null, at, "33612345678");
    }

    private static List<Event> receipts(Replayer j, String id) {
        return j.state.events(id).stream().filter(e -> e.type() == EventType.RECEIPT).toList();
    }

    @Test
    void aReceiptAfterItsSubmitMatchesAndItsLatencyIsObserved() {
        Replayer j = new Replayer();
        j.write(Entry.accepted(message("m1", "op")));
        j.write(Entry.event("m1", "op", Event.submitted(2_000, 1, "39F99DD5", "op-0")));
        j.write(Entry.receipt(receipt("op", "39f99dd5", "DELIVRD", 2_500)));
        assertEquals(MessageState.DELIVERED, MessageState.derive(j.state.events("m1")));
        assertEquals(List.of(new Change.ReceiptMatched("op", 500)), j.state.observed(Change.ReceiptMatched.class));
    }

    @Test
    void aReceiptBeforeItsSubmitIsParkedThenMatchedByTheSubmit() {
        Replayer j = new Replayer();
        j.write(Entry.accepted(message("m1", "op")));
        j.write(Entry.receipt(receipt("op", "00039f99dd5", "UNDELIV", 1_500)));
        assertEquals(1, j.state.observed(Change.ReceiptParked.class).size());
        assertEquals(1, j.state.parked("op", "39f99dd5").size());
        j.write(Entry.event("m1", "op", Event.submitted(2_000, 1, "39f99dd5", "op-0")));
        assertEquals(MessageState.UNDELIVERED, MessageState.derive(j.state.events("m1")));
        assertTrue(j.state.parked("op", "39f99dd5").isEmpty(), "unparked");
    }

    @Test
    void aDecimalReceiptIdFindsAHexSubmitIdAndTheReverse() {
        Replayer j = new Replayer();
        j.write(Entry.accepted(message("hex", "op")));
        j.write(Entry.accepted(message("dec", "op")));
        j.write(Entry.event("hex", "op", Event.submitted(2_000, 1, "39f99dd5", "op-0")));
        j.write(Entry.event("dec", "op", Event.submitted(2_000, 1, "972660182", "op-0")));
        j.write(Entry.receipt(receipt("op", "0972660181", "DELIVRD", 3_000))); // 0x39f99dd5 in decimal
        j.write(Entry.receipt(receipt("op", "39F99DD6", "DELIVRD", 3_000))); // 972660182 in hex
        assertEquals(1, receipts(j, "hex").size());
        assertEquals(1, receipts(j, "dec").size());
    }

    @Test
    void partsOfAMessageGetTheirOwnReceiptsAndTheMessageIsDeliveredWhenAllAre() {
        Replayer j = new Replayer();
        j.write(Entry.accepted(message("m", "op")));
        j.write(Entry.event("m", "op", Event.submitted(2_000, 1, "a1", "op-0").ofPart(1, 2)));
        j.write(Entry.receipt(receipt("op", "a2", "DELIVRD", 2_100))); // part 2's receipt before its submit
        j.write(Entry.event("m", "op", Event.submitted(2_200, 1, "a2", "op-0").ofPart(2, 2)));
        assertEquals(MessageState.SUBMITTED, MessageState.derive(j.state.events("m")));
        j.write(Entry.receipt(receipt("op", "a1", "DELIVRD", 2_300)));
        assertEquals(MessageState.DELIVERED, MessageState.derive(j.state.events("m")));
        assertEquals(List.of(2, 1), receipts(j, "m").stream().map(Event::part).toList());
    }

    @Test
    void operatorsSharingAnAccountMatchEachOthersReceiptsAndOthersDoNot() {
        Replayer j = new Replayer(Set.of(), Map.of(), Map.of("orange", "orange", "orange-promo", "orange"), 0);
        j.write(Entry.accepted(message("m1", "orange-promo")));
        j.write(Entry.accepted(message("m2", "sfr")));
        j.write(Entry.event("m1", "orange-promo", Event.submitted(2_000, 1, "abc", "orange-promo-0")));
        j.write(Entry.event("m2", "sfr", Event.submitted(2_000, 1, "abd", "sfr-0")));
        j.write(Entry.receipt(receipt("orange", "abc", "DELIVRD", 3_000))); // on the other route's bind
        j.write(Entry.receipt(receipt("orange", "abd", "DELIVRD", 3_000))); // sfr's id, but not sfr's account
        assertEquals(1, receipts(j, "m1").size());
        assertEquals(0, receipts(j, "m2").size());
        assertEquals(1, j.state.parked("orange", "abd").size(), "kept, not put on another account's message");
    }

    @Test
    void aSecondReceiptIsKeptAsAnEventButNeverChangesAFinalState() {
        Replayer j = new Replayer();
        j.write(Entry.accepted(message("m1", "op")));
        j.write(Entry.event("m1", "op", Event.submitted(2_000, 1, "x1", "op-0")));
        j.write(Entry.receipt(receipt("op", "x1", "DELIVRD", 3_000)));
        j.write(Entry.receipt(receipt("op", "x1", "UNDELIV", 4_000)));
        assertEquals(2, receipts(j, "m1").size());
        assertEquals(MessageState.DELIVERED, MessageState.derive(j.state.events("m1")));
    }

    private static void sendAndReceipt(Replayer j, String id, String to, String respId, String receiptId, boolean receiptFirst) {
        j.write(Entry.accepted(new Message(id, 1_000, "op", "acme", null, "ACME", to, "hi", null, null, null, null, null, null, null, null,
                null)));
        Entry submit = Entry.event(id, "op", Event.submitted(2_000, 1, respId, "op-0"));
        Entry receipt = Entry.receipt(new Receipt("op", "op-0", receiptId, "DELIVRD", "000", null, null, 3_000, to));
        if (receiptFirst) {
            j.write(receipt);
            j.write(submit);
        } else {
            j.write(submit);
            j.write(receipt);
        }
    }

    @Test
    void theFormatIsLearnedFromReceiptsThatReadOneWayThenOnlyItIsRead() {
        Replayer j = new Replayer();
        for (int i = 0; i < Correlation.LOCK_VOTES; i++) { // hex in the response, decimal in the receipt
            sendAndReceipt(j, "m" + i, "+3361000000" + i, Long.toHexString(1000 + i), String.format("%010d", 1000 + i), false);
        }
        assertEquals(smppgw.model.ReceiptIdFormat.HEX_TO_DEC, j.state.idFormat("op").locked());
        assertEquals(1, j.state.observed(Change.IdFormatChanged.class).size(), "said once");
        // from now on a receipt is read only that way: "0000000291" is 0x123, never the message whose response said "291"
        sendAndReceipt(j, "a", "+33610000100", "291", "0000009999", false); // its own receipt, in decimal: 9999 = 0x270f, not this one
        sendAndReceipt(j, "b", "+33610000100", "123", "0000000291", false); // 291 = 0x123: b's
        assertEquals(0, receipts(j, "a").size());
        assertEquals(1, receipts(j, "b").size());
    }

    @Test
    void aConfiguredFormatIsTheOnlyReadingFromTheFirstReceipt() {
        smppgw.journal.Projection p = new smppgw.journal.Projection(Set.of(), Map.of(), Map.of(),
                Map.of("op", smppgw.model.ReceiptIdFormat.DEC_TO_HEX), 0, "33");
        smppgw.state.MemoryState state = new smppgw.state.MemoryState();
        long[] index = {0};
        java.util.function.Consumer<Entry> write = e -> p.project(e, null, ++index[0], state, state);
        write.accept(Entry.accepted(message("m", "op")));
        write.accept(Entry.accepted(message("n", "op")));
        write.accept(Entry.event("m", "op", Event.submitted(2_000, 1, "291", "op-0")));
        write.accept(Entry.event("n", "op", Event.submitted(2_000, 1, "123", "op-0")));
        write.accept(Entry.receipt(receipt("op", "123", "DELIVRD", 3_000))); // 0x123 = 291: m's, not n's
        assertEquals(MessageState.DELIVERED, MessageState.derive(state.events("m")));
        assertEquals(MessageState.SUBMITTED, MessageState.derive(state.events("n")));
    }

    @Test
    void anAmbiguousReceiptWaitsAndADuplicateIsKeptWithoutChangingTheState() {
        Replayer j = new Replayer();
        // two waiting messages to one number, one named by each reading of "0000000291": not a guess, a wait
        for (String[] m : new String[][] {{"x", "291"}, {"y", "123"}}) {
            j.write(Entry.accepted(new Message(m[0], 1_000, "op", "acme", null, "ACME", "+33610000001", "hi", null, null, null, null, null,
                    null, null, null, null)));
            j.write(Entry.event(m[0], "op", Event.submitted(2_000, 1, m[1], "op-0")));
        }
        j.write(Entry.receipt(new Receipt("op", "op-0", "0000000291", "DELIVRD", "000", null, null, 4_000, "+33610000001")));
        assertEquals(0, receipts(j, "x").size() + receipts(j, "y").size(), "neither got it");
        assertEquals(1, j.state.observed(Change.ReceiptUnmatched.class).size());
        assertEquals(1, j.state.parked("op", "291").size());
        // the same final receipt twice for one message: kept, marked, first final wins
        Replayer k = new Replayer();
        sendAndReceipt(k, "z", "+33610000002", "abcdef", "ABCDEF", false);
        k.write(Entry.receipt(new Receipt("op", "op-1", "abcdef", "UNDELIV", "001", null, null, 5_000, "33610000002")));
        assertEquals(2, receipts(k, "z").size());
        assertTrue(receipts(k, "z").get(1).reason().startsWith("duplicate"), receipts(k, "z").toString());
        assertEquals(MessageState.DELIVERED, MessageState.derive(k.state.events("z")));
    }
}
