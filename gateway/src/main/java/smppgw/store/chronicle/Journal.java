package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Chronicle queues on disk: {@code journal/} (every state change, in order) and {@code queues/<op>/}
 * (messages waiting for that operator, each entry: journal index of its ACCEPTED record + message JSON).
 * Appenders are confined to the thread that created them: {@link Appenders} is used by one thread.
 */
final class Journal implements AutoCloseable {
    private final ChronicleQueue journal;
    private final Map<String, ChronicleQueue> queues = new HashMap<>();
    private final Map<String, ChronicleQueue> notifications = new HashMap<>();

    Journal(Path dataDir, List<String> operators, List<String> notifiedClients) {
        journal = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).build();
        for (String op : operators) {
            queues.put(op, SingleChronicleQueueBuilder.binary(dataDir.resolve("queues").resolve(op)).build());
        }
        for (String c : notifiedClients) {
            notifications.put(c, SingleChronicleQueueBuilder.binary(dataDir.resolve("notify").resolve(c)).build());
        }
    }

    ChronicleQueue notifications(String client) {
        ChronicleQueue q = notifications.get(client);
        if (q == null) {
            throw new IllegalArgumentException("client " + client + " has no notification queue (no system-id, no webhook-url)");
        }
        return q;
    }

    /** The journal index the last notification of a client comes from, or -1. */
    long lastNotifiedJournalIndex(String client) {
        try (ExcerptTailer t = notifications(client).createTailer().direction(TailerDirection.BACKWARD).toEnd();
             DocumentContext dc = t.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            Bytes<?> b = dc.wire().bytes();
            byte[] json = new byte[(int) b.readRemaining()];
            b.read(json);
            return Codec.read(json, smppgw.store.Notification.class).journalIndex();
        }
    }

    ChronicleQueue queue(String operator) {
        ChronicleQueue q = queues.get(operator);
        if (q == null) {
            throw new IllegalArgumentException("no queue for operator " + operator);
        }
        return q;
    }

    /** The journal index the last entry of an operator's queue points at, or -1 if the queue is empty. */
    long lastQueuedJournalIndex(String operator) {
        try (ExcerptTailer t = queue(operator).createTailer().direction(TailerDirection.BACKWARD).toEnd();
             DocumentContext dc = t.readingDocument()) {
            return dc.isPresent() ? dc.wire().bytes().readLong() : -1;
        }
    }

    /** Visits journal records after {@code afterIndex} (all of them if it is -1), in order. */
    void replay(long afterIndex, RecordVisitor visitor) throws Exception {
        try (ExcerptTailer t = journal.createTailer()) {
            if (afterIndex >= 0) {
                if (!t.moveToIndex(afterIndex)) {
                    throw new IllegalStateException("journal index " + Long.toHexString(afterIndex)
                            + " (last applied) is missing: was the journal deleted?");
                }
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new IllegalStateException("journal index " + Long.toHexString(afterIndex) + " is not readable");
                    }
                }
            } else {
                t.toStart();
            }
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    byte[] data = new byte[(int) b.readRemaining()];
                    b.read(data);
                    visitor.visit(dc.index(), data);
                }
            }
        }
    }

    interface RecordVisitor {
        void visit(long index, byte[] data) throws Exception;
    }

    Appenders appenders() {
        return new Appenders();
    }

    /** Appenders for the journal and every queue, owned by one thread. */
    final class Appenders implements AutoCloseable {
        private final ExcerptAppender journalAppender = journal.createAppender();
        private final Map<String, ExcerptAppender> queueAppenders = new HashMap<>();
        private final Map<String, ExcerptAppender> notifyAppenders = new HashMap<>();

        long append(byte[] data) {
            try (DocumentContext dc = journalAppender.writingDocument()) {
                dc.wire().bytes().write(data);
            }
            return journalAppender.lastIndexAppended();
        }

        void notify(String client, byte[] notificationJson) {
            ExcerptAppender a = notifyAppenders.computeIfAbsent(client, c -> notifications(c).createAppender());
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().write(notificationJson);
            }
        }

        void enqueue(String operator, long journalIndex, byte[] messageJson) {
            ExcerptAppender a = queueAppenders.computeIfAbsent(operator, op -> queue(op).createAppender());
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().writeLong(journalIndex).write(messageJson);
            }
        }

        @Override
        public void close() {
            journalAppender.close();
            queueAppenders.values().forEach(ExcerptAppender::close);
            notifyAppenders.values().forEach(ExcerptAppender::close);
        }
    }

    @Override
    public void close() {
        queues.values().forEach(ChronicleQueue::close);
        notifications.values().forEach(ChronicleQueue::close);
        journal.close();
    }
}
