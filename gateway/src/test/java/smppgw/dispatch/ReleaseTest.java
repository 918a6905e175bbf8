package smppgw.dispatch;

import org.junit.jupiter.api.Test;

import java.util.List;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled messages released at their time, on an in-memory state. */
class ReleaseTest {
    @Test
    void dueMessagesAreReleasedOnceInTimeOrder() {
        Replayer journal = new Replayer();
        for (String[] m : new String[][] {{"late", "3000"}, {"early", "1000"}, {"exact", "2000"}}) {
            journal.write(Entry.accepted(new Message(m[0], 0, "op", "acme", null, "ACME", "+33612345678", "x", null, null, null, null, null, null,
                    null, Long.parseLong(m[1]), null)));
        }
        assertEquals(MessageState.SCHEDULED, MessageState.derive(journal.state.events("early")));
        assertTrue(Release.due(999, journal.state).isEmpty());
        List<Entry> due = Release.due(2000, journal.state);
        assertEquals(List.of("early", "exact"), due.stream().map(Entry::id).toList());
        due.forEach(journal::write);
        assertEquals(EventType.RELEASED, journal.state.events("early").get(2).type());
        assertEquals(List.of(), Release.due(2000, journal.state), "released once");
        assertEquals(List.of("late"), Release.due(5000, journal.state).stream().map(Entry::id).toList());
    }
}
