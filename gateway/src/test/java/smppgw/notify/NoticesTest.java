package smppgw.notify;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.Notification;
import smppgw.model.Receipt;
import smppgw.state.Change;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What clients are told, on an in-memory state: state changes only, their own messages and numbers only. */
class NoticesTest {
    private final Replayer journal = new Replayer(Set.of("acme"), Map.of("36111", "acme"), Map.of(), 0);

    private List<String> told() {
        return journal.state.observed(Change.Notify.class).stream()
                .map(n -> n.client() + ":" + (n.notification().kind().equals(Notification.MO) ? "MO" : n.notification().state())).toList();
    }

    private void accepted(String id, String client) {
        journal.write(Entry.accepted(new Message(id, 0, "op", client, null, "ACME", "+33612345678", "x", null, null, null, null, null, null,
                null, null, null)));
    }

    @Test
    void eachStateChangeOfAClientsMessageOnceAndNothingForOthers() {
        accepted("m", "acme");
        accepted("o", "globex");
        journal.write(Entry.event("m", "op", Event.submitted(1, 1, "s1", "op-0")));
        journal.write(Entry.event("o", "op", Event.submitted(1, 1, "s2", "op-0")));
        journal.write(Entry.receipt(new Receipt("op", "op-0", "s1", "DELIVRD", "000", null, null, 2)));
        journal.write(Entry.receipt(new Receipt("op", "op-0", "s1", "DELIVRD", "000", null, null, 3))); // changes nothing: says nothing
        journal.write(Entry.inbound(new Inbound("mo1", 4, "op", "op-0", "+33612345678", "+36111", "Oui")));
        journal.write(Entry.inbound(new Inbound("mo2", 5, "op", "op-0", "+33612345678", "36222", "?")));
        assertEquals(List.of("acme:ACCEPTED", "acme:SUBMITTED", "acme:DELIVERED", "acme:MO"), told());
    }
}
