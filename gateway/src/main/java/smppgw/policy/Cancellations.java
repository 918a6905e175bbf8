package smppgw.policy;

import java.util.Optional;

import smppgw.journal.Entry;
import smppgw.model.Cancellation;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.state.StateView;

/**
 * Whether a message can still be cancelled, decided on the journal thread so it races with nothing: only while it is
 * SCHEDULED (held for its send time, quiet hours or a campaign's start and spread) — its release and its cancel are both
 * journal decisions, whichever comes first wins. A message already queued for its operator may be on the wire: too late.
 */
public final class Cancellations {
    /** The answer, and the CANCELLED event to journal when it was cancelled. */
    public record Decision(Cancellation answer, Optional<Entry> entry) {
    }

    private Cancellations() {
    }

    /**
     * A campaign's pause or resume for one of its messages: HELD when it is SCHEDULED and not held, RESUMED when it is
     * held; nothing otherwise (already queued, sent, final, or already so).
     */
    public static Optional<Entry> hold(String id, String client, boolean pause, StateView view, long now) {
        Message m = view.message(id);
        if (m == null || client != null && !client.equals(m.client())) {
            return Optional.empty();
        }
        java.util.List<Event> events = view.events(id);
        if (MessageState.derive(events) != MessageState.SCHEDULED) {
            return Optional.empty();
        }
        boolean held = false;
        for (Event e : events) {
            if (e.type() == smppgw.model.EventType.HELD) {
                held = true;
            } else if (e.type() == smppgw.model.EventType.RESUMED) {
                held = false;
            }
        }
        if (pause == held) {
            return Optional.empty();
        }
        return Optional.of(Entry.event(id, m.operator(), pause ? Event.held(now, "campaign paused") : Event.resumed(now, "campaign resumed")));
    }

    /** @param client the client asking (null: any, for the unauthenticated API and the admin) */
    public static Decision decide(String id, String client, StateView view, long now) {
        Message m = view.message(id);
        if (m == null || client != null && !client.equals(m.client())) {
            return new Decision(new Cancellation(Cancellation.Outcome.UNKNOWN, id, null), Optional.empty());
        }
        MessageState s = MessageState.derive(view.events(id));
        if (s != MessageState.SCHEDULED) {
            return new Decision(new Cancellation(Cancellation.Outcome.TOO_LATE, id, s), Optional.empty());
        }
        return new Decision(new Cancellation(Cancellation.Outcome.CANCELLED, id, MessageState.CANCELLED),
                Optional.of(Entry.event(id, m.operator(), Event.cancelled(now, client == null ? "cancelled" : "cancelled by " + client))));
    }
}
