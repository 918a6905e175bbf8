package smppgw.track;

import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.PhoneNumber;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * A handset message from a number that was sent a message within the reply window, to that message's (numeric)
 * sender address (the newest message from that address), shows the message was read: READ via reply, with the reply's text on the event.
 */
public final class Replies {
    private final long windowMs;
    private final String defaultCountryCode;
    private final Reads reads;

    /**
     * @param windowMs           how long after a message a reply counts (0: never)
     * @param defaultCountryCode for handset numbers an SMSC writes in national form
     */
    public Replies(long windowMs, String defaultCountryCode, Reads reads) {
        this.windowMs = windowMs;
        this.defaultCountryCode = defaultCountryCode;
        this.reads = reads;
    }

    public void match(Inbound mo, long index, StateView view, Consumer<Change> out) {
        if (windowMs <= 0) {
            return;
        }
        if (mo.to() == null) {
            return;
        }
        StateView.LastSent last = view.lastSent(PhoneNumber.handset(mo.from(), defaultCountryCode), PhoneNumber.stripPlus(mo.to()));
        if (last == null || mo.receivedAt() < last.at() || mo.receivedAt() - last.at() > windowMs) {
            return;
        }
        Message m = view.message(last.id());
        if (m == null || m.from() == null || !PhoneNumber.isDigits(PhoneNumber.stripPlus(m.from()))
                || !PhoneNumber.stripPlus(m.from()).equals(PhoneNumber.stripPlus(mo.to()))) {
            return; // a reply goes to the (numeric: nobody can answer an alphanumeric sender) sender address; this one went elsewhere
        }
        reads.read(m, Event.read(mo.receivedAt(), "reply", mo.text()), index, view, out);
    }
}
