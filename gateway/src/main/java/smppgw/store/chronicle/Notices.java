package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.store.Event;
import smppgw.store.EventType;
import smppgw.store.Inbound;
import smppgw.store.Message;
import smppgw.store.MessageState;
import smppgw.store.Notification;

/**
 * Decides, on the journal thread, what clients are told: a notification each time one of their messages
 * changes state (derived from its events, so a duplicate or late receipt that changes nothing says
 * nothing), and each handset message sent to one of their numbers. Written to the client's queue right
 * after the journal record; on replay, only records after the client's last notification are written.
 */
final class Notices {
    private final Set<String> notified;
    private final Map<String, String> moRoutes;
    private final StateDb db;
    private final Map<String, Long> lastNotified = new HashMap<>();
    /** Events of messages touched in the current batch: the state database does not show them yet. */
    private final Map<String, List<Event>> overlay = new HashMap<>();

    /** @param moRoutes number a handset writes to (as received, digits with or without '+') → client */
    Notices(Set<String> notified, Map<String, String> moRoutes, StateDb db) {
        this.notified = Set.copyOf(notified);
        this.moRoutes = Map.copyOf(moRoutes);
        this.db = db;
    }

    boolean enabled() {
        return !notified.isEmpty();
    }

    void recover(Journal journal) {
        for (String c : notified) {
            lastNotified.put(c, journal.lastNotifiedJournalIndex(c));
        }
    }

    void onAccepted(Message m, long index, Journal.Appenders app) {
        if (!notified.contains(m.client())) {
            return;
        }
        List<Event> events = new ArrayList<>();
        events.add(Event.accepted(m.acceptedAt()));
        overlay.put(m.id(), events);
        write(app, m.client(), index, state(m, MessageState.ACCEPTED, Event.accepted(m.acceptedAt()), index, false));
    }

    /** Call before the event is added to the batch. */
    void onEvent(String id, Event ev, long index, StateBatch batch, Journal.Appenders app) throws RocksDBException {
        if (!enabled() || ev.type() == EventType.NO_RECEIPT || ev.type() == EventType.ACCEPTED) {
            return;
        }
        List<Event> events = overlay.get(id);
        Message m = null;
        if (events == null) {
            m = batch.message(id);
            if (m == null || !notified.contains(m.client())) {
                return;
            }
            events = new ArrayList<>(db.events(id));
            overlay.put(id, events);
        }
        MessageState before = MessageState.derive(events);
        events.add(ev);
        MessageState after = MessageState.derive(events);
        if (after == before) {
            return;
        }
        if (m == null) {
            m = batch.message(id);
        }
        write(app, m.client(), index, state(m, after, ev, index, before.isFinal()));
    }

    void onInbound(Inbound mo, long index, Journal.Appenders app) {
        String client = moRoutes.get(mo.to());
        if (client == null && mo.to().startsWith("+")) {
            client = moRoutes.get(mo.to().substring(1));
        }
        if (client == null || !notified.contains(client)) {
            return;
        }
        write(app, client, index, new Notification(Notification.MO, index, client, mo.id(), null, null, mo.receivedAt(), mo.operator(),
                mo.from(), mo.to(), null, null, null, null, null, null, mo.text(), null, null));
    }

    void batchDone() {
        overlay.clear();
    }

    private static Notification state(Message m, MessageState s, Event ev, long index, boolean wasFinal) {
        return new Notification(Notification.STATE, index, m.client(), m.id(), m.clientRef(), s.name(), ev.at(), m.operator(),
                m.from(), m.to(), m.acceptedAt(), ev.smscId(), ev.stat(), ev.err(), ev.status(), ev.reason(), m.text(), m.receipt(),
                wasFinal ? true : null);
    }

    private void write(Journal.Appenders app, String client, long index, Notification n) {
        if (index <= lastNotified.getOrDefault(client, -1L)) {
            return; // replay: already written before the crash
        }
        app.notify(client, Codec.write(n));
    }
}
