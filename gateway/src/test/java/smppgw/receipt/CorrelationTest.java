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

    private static Receipt receipt(String op, String smscId, String stat, long at) {
        return new Receipt(op, op + "-0", smscId, stat, "000", null, null, at);
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
}
