package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import smppgw.model.Message;
import smppgw.store.MessageStore;
import smppgw.model.QueueEntry;

/**
 * Reads an operator's queue from its committed cursor. Entries that were already in the queue when the
 * store opened are marked {@code recovered}: they may have been sent before a crash.
 */
final class ChronicleQueueReader implements MessageStore.QueueReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleQueueReader.class);

    interface CursorSink {
        void commit(String operator, long index);
    }

    private final ChronicleQueue queue;
    private final String operator;
    private final StateDb db;
    private final CursorSink sink;
    private final ExcerptTailer tailer;
    private final long recoveryEnd;
    private long committed = Long.MIN_VALUE;

    private final Journal journal;

    ChronicleQueueReader(ChronicleQueue queue, String operator, StateDb db, CursorSink sink, Journal journal) {
        this.journal = journal;
        this.queue = queue;
        this.operator = operator;
        this.db = db;
        this.sink = sink;
        this.tailer = queue.createTailer();
        this.recoveryEnd = queue.lastIndex();
        long cursor = db.cursor(operator);
        if (cursor >= 0) {
            Journal.seek(tailer, queue, cursor);
        }
    }

    @Override
    public QueueEntry next() {
        while (true) {
            long index;
            long journalIndex;
            byte[] json;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                index = dc.index();
                Bytes<?> b = dc.wire().bytes();
                journalIndex = b.readRemaining() >= 8 ? b.readLong() : -1; // the record that queued it (ACCEPTED or RELEASED)
                json = new byte[(int) b.readRemaining()];
                b.read(json);
            }
            Message m = readable(index, journalIndex, json);
            if (m != null) {
                return new QueueEntry(index, m, index <= recoveryEnd);
            }
        }
    }

    /**
     * The message of a queue entry. One that cannot be read (torn by a crash, or by a full disk under an older version)
     * is taken from the journal record that queued it; only if that cannot be read either is the entry left out, logged.
     */
    private Message readable(long index, long journalIndex, byte[] json) {
        try {
            return Codec.read(json, Message.class);
        } catch (RuntimeException e) {
            Message m = journal == null ? null : journal.queuedMessage(journalIndex, db);
            if (m != null) {
                LOG.warn("[op:{}] queue entry {} cannot be read ({}); its message {} is taken from the journal", operator,
                        Long.toHexString(index), Codec.describe(json), m.id());
                return m;
            }
            LOG.error("[op:{}] queue entry {} cannot be read ({}) and no journal record names it: left out", operator,
                    Long.toHexString(index), Codec.describe(json));
            EntryCodec.UNREADABLE.incrementAndGet();
            return null;
        }
    }

    @Override
    public long recoveryEnd() {
        return recoveryEnd;
    }

    @Override
    public void commit(long index) {
        if (index != committed) {
            committed = index;
            sink.commit(operator, index);
        }
    }

    @Override
    public long position() {
        return tailer.index();
    }

    /**
     * Entries from the read position to the end. A tailer that has not read yet reports index 0 (a cycle
     * that does not exist), so counting starts at the queue's first entry then.
     */
    @Override
    public long backlog() {
        long last = queue.lastIndex();
        long first = queue.firstIndex();
        if (last < 0 || first == Long.MAX_VALUE) {
            return 0;
        }
        long pos = Math.max(tailer.index(), first);
        if (pos > last) {
            return 0;
        }
        return ((SingleChronicleQueue) queue).countExcerpts(pos, last) + 1;
    }

    @Override
    public void rewind(long index) {
        tailer.moveToIndex(index);
    }

    @Override
    public void close() {
        tailer.close();
    }
}
