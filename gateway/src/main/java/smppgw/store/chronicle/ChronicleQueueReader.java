package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import smppgw.store.Message;
import smppgw.store.MessageStore;
import smppgw.store.QueueEntry;

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

    ChronicleQueueReader(ChronicleQueue queue, String operator, StateDb db, CursorSink sink) {
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
        {
            long index;
            Message m;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                index = dc.index();
                Bytes<?> b = dc.wire().bytes();
                b.readLong(); // journal index of the ACCEPTED record, used by recovery only
                byte[] json = new byte[(int) b.readRemaining()];
                b.read(json);
                m = Codec.read(json, Message.class);
            }
            return new QueueEntry(index, m, index <= recoveryEnd);
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
    public void close() {
        tailer.close();
    }
}
