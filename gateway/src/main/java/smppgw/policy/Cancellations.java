package smppgw.policy;

import java.util.Optional;

import smppgw.journal.Entry;
import smppgw.model.Cancellation;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.state.StateView;

/**
 * Whether a message can still be cancelled, held or moved, decided on the journal thread so it races with nothing on the
 * journal's side: while it is SCHEDULED (held for its send time, quiet hours or a campaign's start and spread) its
 * release and its cancel are both journal decisions, whichever comes first wins. While it is queued for its operator
 * (ACCEPTED), the decision says so: the journal thread then has to win the message's claim from the dispatcher first
 * ({@link smppgw.store.Claims}), and once the dispatcher has taken it, it may be on the wire: too late.
 */
public final class Cancellations {
    /** The answer, the event to journal when it was cancelled or held, and whether it is queued (a claim is needed). */
    public record Decision(Cancellation answer, Optional<Entry> entry, boolean queued) {
        /** The same refused because its dispatcher had taken it. */
        public Decision tooLate() {
            return new Decision(new Cancellation(Cancellation.Outcome.TOO_LATE, answer.id(), MessageState.ACCEPTED), Optional.empty(), false);
        }
    }

    private static final Decision NONE = new Decision(null, Optional.empty(), false);

    private Cancellations() {
    }

    /**
     * A campaign's pause or resume for one of its messages: HELD when it is SCHEDULED or queued and not held, RESUMED when
     * it is held; nothing otherwise (sent, final, or already so).
     */
    public static Decision hold(String id, String client, boolean pause, StateView view, long now) {
        Message m = view.message(id);
        if (m == null || client != null && !client.equals(m.client())) {
            return NONE;
        }
        java.util.List<Event> events = view.events(id);
        MessageState s = MessageState.derive(events);
        if (s == MessageState.ACCEPTED && pause) {
            return new Decision(null, Optional.of(Entry.event(id, m.operator(), Event.held(now, "campaign paused while queued"))), true);
        }
        if (s != MessageState.SCHEDULED || pause == held(events)) {
            return NONE;
        }
        return new Decision(null, Optional.of(Entry.event(id, m.operator(), pause ? Event.held(now, "campaign paused") : Event.resumed(now, "campaign resumed"))), false);
    }

    /** Whether a scheduled message is held: a HELD not followed by a RESUMED or a new schedule. */
    public static boolean held(java.util.List<Event> events) {
        boolean held = false;
        for (Event e : events) {
            if (e.type() == smppgw.model.EventType.HELD) {
                held = true;
            } else if (e.type() == smppgw.model.EventType.RESUMED || e.type() == smppgw.model.EventType.SCHEDULED && e.until() != null) {
                held = false;
            }
        }
        return held;
    }

    /** A SCHEDULED message (held or not) moved to {@code until}: a SCHEDULED event, which also ends a hold. */
    public static Optional<Entry> reschedule(String id, String client, long until, String reason, StateView view, long now) {
        Message m = view.message(id);
        if (m == null || client != null && !client.equals(m.client()) || MessageState.derive(view.events(id)) != MessageState.SCHEDULED) {
            return Optional.empty();
        }
        return Optional.of(Entry.event(id, m.operator(), Event.scheduled(now, until, reason)));
    }

    /** @param client the client asking (null: any, for the unauthenticated API and the admin) */
    public static Decision decide(String id, String client, StateView view, long now) {
        Message m = view.message(id);
        if (m == null || client != null && !client.equals(m.client())) {
            return new Decision(new Cancellation(Cancellation.Outcome.UNKNOWN, id, null), Optional.empty(), false);
        }
        MessageState s = MessageState.derive(view.events(id));
        if (s != MessageState.SCHEDULED && s != MessageState.ACCEPTED) {
            return new Decision(new Cancellation(Cancellation.Outcome.TOO_LATE, id, s), Optional.empty(), false);
        }
        return new Decision(new Cancellation(Cancellation.Outcome.CANCELLED, id, MessageState.CANCELLED),
                Optional.of(Entry.event(id, m.operator(), Event.cancelled(now, client == null ? "cancelled" : "cancelled by " + client))),
                s == MessageState.ACCEPTED);
    }

}
