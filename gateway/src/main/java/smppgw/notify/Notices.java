package smppgw.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Notification;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Decides what clients are told: a notification each time one of their messages changes state (derived from its
 * events, so a duplicate or late receipt that changes nothing says nothing), and each handset message sent to one of
 * their numbers. Runs in the journal's projection; the store writes each {@link Change.Notify} to the client's queue.
 */
public final class Notices {
    private final Set<String> notified;
    private final Map<String, String> moRoutes;

    /**
     * @param notified clients with notifications (SMPP receipts or webhooks)
     * @param moRoutes number a handset writes to (as received, digits with or without '+') → client
     */
    public Notices(Set<String> notified, Map<String, String> moRoutes) {
        this.notified = Set.copyOf(notified);
        this.moRoutes = Map.copyOf(moRoutes);
    }

    public void onAccepted(Message m, long index, Consumer<Change> out) {
        if (notified.contains(m.client())) {
            out.accept(new Change.Notify(m.client(), state(m, MessageState.ACCEPTED, Event.accepted(m.acceptedAt()), index, false)));
        }
    }

    /** Call before the event is added: compares the message's state with and without it. */
    public void onEvent(String id, Event ev, long index, StateView view, Consumer<Change> out) {
        if (notified.isEmpty() || ev.type() == EventType.NO_RECEIPT || ev.type() == EventType.ACCEPTED) {
            return;
        }
        Message m = view.message(id);
        if (m == null || !notified.contains(m.client())) {
            return;
        }
        List<Event> events = new ArrayList<>(view.events(id));
        MessageState before = MessageState.derive(events);
        events.add(ev);
        MessageState after = MessageState.derive(events);
        if (after != before) {
            out.accept(new Change.Notify(m.client(), state(m, after, ev, index, before.isFinal())));
        }
    }

    public void onInbound(Inbound mo, long index, Consumer<Change> out) {
        String client = moRoutes.get(mo.to());
        if (client == null && mo.to().startsWith("+")) {
            client = moRoutes.get(mo.to().substring(1));
        }
        if (client != null && notified.contains(client)) {
            out.accept(new Change.Notify(client, new Notification(Notification.MO, index, client, mo.id(), null, null, mo.receivedAt(),
                    mo.operator(), mo.from(), mo.to(), null, null, null, null, null, null, mo.text(), null, null)));
        }
    }

    private static Notification state(Message m, MessageState s, Event ev, long index, boolean wasFinal) {
        return new Notification(Notification.STATE, index, m.client(), m.id(), m.clientRef(), s.name(), ev.at(), m.operator(),
                m.from(), m.to(), m.acceptedAt(), ev.smscId(), ev.stat(), ev.err(), ev.status(), ev.reason(), m.text(), m.receipt(),
                wasFinal ? true : null, m.campaign(), ev.via());
    }
}
