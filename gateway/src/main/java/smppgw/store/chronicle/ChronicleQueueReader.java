package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import smppgw.store.Event;
import smppgw.store.Message;
import smppgw.store.MessageState;
import smppgw.store.MessageStore;
import smppgw.store.QueueEntry;

/**
 * Reads an operator's queue from its committed cursor. Entries that were already in the queue when the
 * store opened may have been sent before a crash: those whose state is no longer pending (submitted,
 * failed, delivered...) are skipped, so only messages in flight at the crash can be sent twice.
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
    private long skipped;

    ChronicleQueueReader(ChronicleQueue queue, String operator, StateDb db, CursorSink sink) {
        this.queue = queue;
        this.operator = operator;
        this.db = db;
        this.sink = sink;
        this.tailer = queue.createTailer();
        this.recoveryEnd = queue.lastIndex();
        long cursor = db.cursor(operator);
        if (cursor >= 0 && !tailer.moveToIndex(cursor)) {
            if (cursor > queue.lastIndex()) {
                tailer.toEnd();
            } else {
                LOG.warn("[op:{}] queue cursor {} no longer exists; reading from the oldest entry", operator, Long.toHexString(cursor));
                tailer.toStart();
            }
        }
    }

    @Override
    public QueueEntry next() {
        while (true) {
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
            if (index <= recoveryEnd && !stillPending(m)) {
                skipped++;
                continue;
            }
            return new QueueEntry(index, m);
        }
    }

    private boolean stillPending(Message m) {
        List<Event> events = db.events(m.id());
        if (events.isEmpty()) {
            LOG.warn("[msg:{}] [op:{}] queued but unknown to the state database; not sent", m.id(), operator);
            return false;
        }
        return MessageState.derive(events).isPending();
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

    /** Entries passed over during recovery because they were already resolved. */
    long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        tailer.close();
    }
}
