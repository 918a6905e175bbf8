package smppgw.journal;

import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * The state database as the journal thread writes it: one open batch that every read sees, committed with the
 * journal index it reached. Implemented on RocksDB by the store; failures are unchecked (a full disk says so in its
 * message).
 */
public interface State extends StateView {
    /** Applies a change to the open batch (the next read sees it). */
    void apply(Change c);

    /** Commits the open batch, recording {@code appliedIndex} (-1: leaves it) as the journal index it reached. */
    void commit(long appliedIndex);

    /** Forgets the open batch (its write failed: the journal is replayed instead). */
    void clear();

    /** The journal index the committed state reached (-1: none). */
    long appliedIndex();

    /** Re-reads what the state keeps in memory about itself (after a failed batch, and at start). */
    void resync();

    /** A reader's committed position (operator queues, notification readers), in the open batch. */
    void cursor(String name, long index);

    /** Changes in the open batch. */
    int pending();
}
