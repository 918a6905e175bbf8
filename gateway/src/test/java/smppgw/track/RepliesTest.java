package smppgw.track;

import org.junit.jupiter.api.Test;

import java.util.List;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.state.Change;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Replies as read signals, and the first READ winning, on an in-memory state. */
class RepliesTest {
    private static final long HOUR = 3_600_000;
    private final Replayer journal = new Replayer(java.util.Set.of(), java.util.Map.of(), java.util.Map.of(), 48 * HOUR);

    private void sent(String id, String from, String to, long at) {
        journal.write(Entry.accepted(new Message(id, at, "op", "acme", null, from, to, "hi", null, null, null, null, null, null, null, null, null)));
    }

    private void reply(String from, String to, long at, String text) {
        journal.write(Entry.inbound(new Inbound("mo" + at, at, "op", "op-0", from, to, text)));
    }

    private List<Event> reads(String id) {
        return journal.state.events(id).stream().filter(e -> e.type() == EventType.READ).toList();
    }

    @Test
    void aReplyWithinTheWindowToTheNumericSenderIsARead() {
        sent("m", "36111", "+33612345678", 0);
        reply("33612345678", "36111", 48 * HOUR, "Oui"); // the SMSC left out the '+'; exactly at the window's end
        assertEquals(List.of("Oui"), reads("m").stream().map(Event::reason).toList());
        assertEquals(MessageState.READ, MessageState.derive(journal.state.events("m")));
        assertEquals(List.of(new Change.FirstRead(journal.state.message("m"), "reply", 48 * HOUR)), journal.state.observed(Change.FirstRead.class));
    }

    @Test
    void aReplyTooLateBeforeTheMessageOrToAnotherAddressIsNot() {
        sent("m", "36111", "+33612345678", 10 * HOUR);
        reply("+33612345678", "36111", 58 * HOUR + 1, "late");
        reply("+33612345678", "36111", 10 * HOUR - 1, "before");
        reply("+33612345678", "36222", 11 * HOUR, "to another short code");
        assertEquals(0, reads("m").size());
    }

    @Test
    void nobodyCanAnswerAnAlphanumericSender() {
        sent("m", "ACME", "+33612345678", 0);
        reply("+33612345678", "ACME", HOUR, "?");
        assertEquals(0, reads("m").size());
    }

    @Test
    void aNationalNumberIsReadWithTheDefaultCountryCode() {
        sent("m", "+33699999999", "+33612345678", 0);
        reply("0612345678", "33699999999", HOUR, "ok");
        assertEquals(1, reads("m").size());
    }

    @Test
    void theFirstSignalMakesItReadAndLaterOnesAreKept() {
        sent("m", "36111", "+33612345678", 0);
        reply("+33612345678", "36111", HOUR, "one");
        reply("+33612345678", "36111", 2 * HOUR, "two");
        assertEquals(2, reads("m").size());
        assertEquals(1, journal.state.observed(Change.FirstRead.class).size(), "one first read");
    }
}
