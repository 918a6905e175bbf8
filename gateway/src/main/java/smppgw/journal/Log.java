package smppgw.journal;

import smppgw.model.Message;
import smppgw.model.Notification;

/**
 * The journal and the queues derived from it, as the journal thread writes them (implemented on Chronicle Queue by
 * the store). Only the journal thread calls it.
 */
public interface Log {
    /** Where a record went, and the encoding of its object (message, event, ...) for the state and the queue to reuse. */
    record Appended(long index, byte[] json) {
    }

    /** Appends a record to the journal. */
    Appended append(Entry e);

    /** Puts a message in its operator's queue; {@code index}: the journal record that queued it. {@code json} may be null. */
    void enqueue(String operator, long index, Message m, byte[] json);

    /** Adds a notification to a client's queue; one a replay finds already there (same journal index or older) is not written twice. */
    void notify(String client, long index, Notification n);

    /**
     * Makes sure {@code bytes} more can be written to every file before anything is.
     *
     * @throws smppgw.store.DiskFullException when they cannot: nothing was written
     */
    void reserve(long bytes);

    /** The journal index of the last record in an operator's queue (-1: none). */
    long lastQueued(String operator);

    /** Re-reads where each queue ends (at start, and after a batch that failed half-way). */
    void resync();

    /** Visits the records after {@code afterIndex} (all if -1), in order, leaving out (and logging) any that cannot be read. */
    void replay(long afterIndex, Replay visitor) throws Exception;

    interface Replay {
        void visit(long index, Entry e, byte[] json) throws Exception;
    }
}
