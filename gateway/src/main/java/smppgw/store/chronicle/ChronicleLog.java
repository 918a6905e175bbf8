package smppgw.store.chronicle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import smppgw.journal.Entry;
import smppgw.journal.Log;
import smppgw.model.Message;
import smppgw.model.Notification;

/**
 * The journal, the operator queues and the notification queues as the journal thread writes them. Chronicle's
 * appenders belong to the thread that made them: the recovery on the opening thread and the journal thread each get
 * their own.
 */
final class ChronicleLog implements Log {
    private final Journal journal;
    private final List<String> notified;
    /** Per client, the journal index of the last notification its queue holds: a replay does not write it again. */
    private final Map<String, Long> lastNotified = new HashMap<>();
    private Journal.Appenders app;
    private Thread owner;

    /** Per client, how far its notifications had been served when the journal was restored from a copy (empty if never). */
    private final Map<String, Long> servedBeforeRestore;

    ChronicleLog(Journal journal, List<String> notified) {
        this.journal = journal;
        this.notified = List.copyOf(notified);
        this.servedBeforeRestore = ServedNotifications.restored(journal.dataDir);
    }

    private Journal.Appenders app() {
        if (owner != Thread.currentThread()) {
            if (app != null) {
                app.close();
            }
            app = journal.appenders();
            owner = Thread.currentThread();
        }
        return app;
    }

    @Override
    public Appended append(Entry e) {
        EntryCodec.Encoded enc = EntryCodec.encode(e);
        return new Appended(app().append(enc.record()), enc.json());
    }

    @Override
    public void enqueue(String operator, long index, Message m, byte[] json) {
        app().enqueue(operator, index, json != null ? json : Codec.write(m));
    }

    @Override
    public void notify(String client, long index, Notification n) {
        if (index <= lastNotified.getOrDefault(client, -1L)) {
            return; // replay: already written before the crash (or served before the journal was restored elsewhere)
        }
        app().notify(client, Codec.write(n));
    }

    @Override
    public void reserve(long bytes) {
        app().reserve(bytes);
    }

    @Override
    public long lastQueued(String operator) {
        return journal.lastQueuedJournalIndex(operator);
    }

    @Override
    public void resync() {
        for (String c : notified) {
            lastNotified.put(c, Math.max(journal.lastNotifiedJournalIndex(c), servedBeforeRestore.getOrDefault(c, -1L)));
        }
    }

    @Override
    public void replay(long afterIndex, Replay visitor) throws Exception {
        journal.replay(afterIndex, (index, data) -> {
            EntryCodec.Decoded d = EntryCodec.readable(index, data);
            if (d != null) {
                visitor.visit(index, d.entry(), d.json());
            }
        });
    }

    void close() {
        if (app != null) {
            app.close();
            app = null;
        }
    }
}
