package smppgw.store;

/** The journal's records as written, in order, for a replica to copy ({@code store.type: kafka}). One thread reads it. */
public interface JournalTail extends AutoCloseable {
    /** Hands the next record to {@code visitor} and returns true, or returns false when there is none yet. */
    boolean next(Visitor visitor);

    /** The journal's index of its last record, or -1 when it is empty. */
    long lastIndex();

    @Override
    void close();

    interface Visitor {
        void record(long index, byte[] data);
    }
}
