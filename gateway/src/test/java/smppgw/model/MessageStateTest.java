package smppgw.model;

import smppgw.model.Event;
import smppgw.model.MessageState;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessageStateTest {
    private static Event receipt(String stat) {
        return Event.receipt(3, "a", "b", stat, "000");
    }

    @Test
    void followsTheLifecycle() {
        assertEquals(MessageState.ACCEPTED, MessageState.derive(List.of(Event.accepted(1))));
        assertEquals(MessageState.ACCEPTED, MessageState.derive(List.of(Event.accepted(1), Event.retry(2, 1, 0x58, "throttled"))));
        assertEquals(MessageState.SUBMITTED, MessageState.derive(List.of(Event.accepted(1), Event.submitted(2, 1, "a", "b"))));
        assertEquals(MessageState.DELIVERED, MessageState.derive(List.of(Event.accepted(1), Event.submitted(2, 1, "a", "b"), receipt("DELIVRD"))));
        assertEquals(MessageState.FAILED, MessageState.derive(List.of(Event.accepted(1), Event.failed(2, 1, 0x0B, "x"))));
    }

    @Test
    void intermediateReceiptsKeepItSubmittedAndNeverUndoAFinalState() {
        assertEquals(MessageState.SUBMITTED, MessageState.derive(List.of(Event.accepted(1), Event.submitted(2, 1, "a", "b"), receipt("ENROUTE"))));
        assertEquals(MessageState.DELIVERED, MessageState.derive(List.of(Event.accepted(1), Event.submitted(2, 1, "a", "b"),
                receipt("DELIVRD"), receipt("ACCEPTD"))));
        assertEquals(MessageState.UNDELIVERED, MessageState.derive(List.of(Event.accepted(1), Event.submitted(2, 1, "a", "b"),
                receipt("UNDELIV"), receipt("DELIVRD"))), "first final state wins");
    }

    @Test
    void statWordsMapToStates() {
        assertEquals(MessageState.DELIVERED, MessageState.ofReceiptStat("DELIVRD"));
        assertEquals(MessageState.UNDELIVERED, MessageState.ofReceiptStat("UNDELIV"));
        assertEquals(MessageState.UNDELIVERED, MessageState.ofReceiptStat("DELETED"));
        assertEquals(MessageState.UNDELIVERED, MessageState.ofReceiptStat("UNKNOWN"));
        assertEquals(MessageState.EXPIRED, MessageState.ofReceiptStat("EXPIRED"));
        assertEquals(MessageState.REJECTED, MessageState.ofReceiptStat("REJECTD"));
        assertEquals(null, MessageState.ofReceiptStat("ENROUTE"));
        assertEquals(null, MessageState.ofReceiptStat("ACCEPTD"));
    }
}
