package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Chronicle queues on disk: {@code journal/} (every state change, in order) and {@code queues/<op>/}
 * (messages waiting for that operator, each entry: journal index of its ACCEPTED record + message JSON).
 * Appenders are confined to the thread that created them: {@link Appenders} is used by one thread.
 */
final class Journal implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Journal.class);
    private final ChronicleQueue journal;
    private final Map<String, ChronicleQueue> queues = new HashMap<>();
    private final Map<String, ChronicleQueue> notifications = new HashMap<>();

    /** @param time what roll cycles (one file per day) are told by: the store's clock */
    /** The data directory the journal and its queues are in. */
    final Path dataDir;

    Journal(Path dataDir, List<String> operators, List<String> notifiedClients, TimeProvider time) {
        this.dataDir = dataDir;
        journal = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).timeProvider(time).build();
        for (String op : operators) {
            queues.put(op, SingleChronicleQueueBuilder.binary(dataDir.resolve("queues").resolve(op)).timeProvider(time).build());
        }
        for (String c : notifiedClients) {
            notifications.put(c, SingleChronicleQueueBuilder.binary(dataDir.resolve("notify").resolve(c)).timeProvider(time).build());
        }
    }

    ChronicleQueue journal() {
        return journal;
    }

    Map<String, ChronicleQueue> queues() {
        return queues;
    }

    Map<String, ChronicleQueue> notificationQueues() {
        return notifications;
    }

    /**
     * Moves a reader to its committed cursor: the entry at {@code cursor}, or when there is none (a cursor commits the
     * index after the last entry read, which does not exist once the queue rolled to a new day's file, or its file was
     * deleted) the first entry after it. Returns false if the cursor itself was not found.
     */
    static boolean seek(ExcerptTailer t, ChronicleQueue q, long cursor) {
        if (t.moveToIndex(cursor)) {
            return true;
        }
        if (cursor > q.lastIndex()) {
            t.toEnd();
            return false;
        }
        try {
            int next = ((SingleChronicleQueue) q).nextCycle(cycleOf(q, cursor), TailerDirection.FORWARD);
            if (next < 0 || !t.moveToIndex(q.rollCycle().toIndex(next, 0))) {
                t.toEnd();
            }
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("queue " + q.file() + ": " + e.getMessage(), e);
        }
        return false;
    }

    /** The roll cycle an index of {@code q} is in. */
    static int cycleOf(ChronicleQueue q, long index) {
        return q.rollCycle().toCycle(index);
    }

    /** The roll cycle that holds the time {@code millis}. */
    static int cycleAt(ChronicleQueue q, long millis) {
        return q.rollCycle().current(() -> millis, 0);
    }

    /**
     * Deletes the files of {@code q}'s roll cycles before {@code beforeCycle}, never its newest (appenders and the
     * restart checks read it), and tells the queue its directory changed. Returns the files deleted.
     */
    static List<Path> deleteCyclesBefore(ChronicleQueue q, int beforeCycle) {
        SingleChronicleQueue sq = (SingleChronicleQueue) q;
        sq.refreshDirectoryListing();
        int first = sq.firstCycle();
        int upTo = Math.min(beforeCycle, sq.lastCycle()); // exclusive
        List<Path> deleted = new java.util.ArrayList<>();
        if (first == Integer.MAX_VALUE || upTo <= first) {
            return deleted;
        }
        DateTimeFormatter name = new java.time.format.DateTimeFormatterBuilder().appendPattern(q.rollCycle().format())
                .parseDefaulting(java.time.temporal.ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(java.time.temporal.ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(java.time.temporal.ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter().withZone(ZoneOffset.UTC);
        try (java.util.stream.Stream<Path> files = Files.list(q.file().toPath())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().toList()) {
                String n = f.getFileName().toString();
                long cycle;
                try {
                    cycle = Instant.from(name.parse(n.substring(0, n.length() - 4))).toEpochMilli() / q.rollCycle().lengthInMillis();
                } catch (java.time.DateTimeException e) {
                    continue; // not a roll-cycle file
                }
                if (cycle < upTo && Files.deleteIfExists(f)) {
                    deleted.add(f);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot delete old files of " + q.file() + ": " + e.getMessage(), e);
        }
        if (!deleted.isEmpty()) {
            sq.refreshDirectoryListing();
        }
        return deleted;
    }

    /** The clients with a notification queue. */
    java.util.Set<String> notifiedClients() {
        return notifications.keySet();
    }

    ChronicleQueue notifications(String client) {
        ChronicleQueue q = notifications.get(client);
        if (q == null) {
            throw new IllegalArgumentException("client " + client + " has no notification queue (no system-id, no webhook-url)");
        }
        return q;
    }

    /**
     * The message a queue entry stands for, from the journal record at {@code index} that queued it (its ACCEPTED
     * record, or the RELEASED event of a scheduled one), or null if that record cannot be read either.
     */
    smppgw.model.Message queuedMessage(long index, StateDb db) {
        if (index < 0) {
            return null;
        }
        try (ExcerptTailer t = journal.createTailer()) {
            if (!t.moveToIndex(index)) {
                return null;
            }
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                byte[] data = remaining(dc);
                smppgw.journal.Entry e = EntryCodec.decode(data).entry();
                return e.kind() == smppgw.journal.Entry.Kind.ACCEPTED ? e.message()
                        : e.kind() == smppgw.journal.Entry.Kind.EVENT ? db.message(e.id()) : null;
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The journal index the last notification of a client comes from, or -1. */
    long lastNotifiedJournalIndex(String client) {
        try (ExcerptTailer t = notifications(client).createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            while (true) { // from the end, past any entry a crash tore
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return -1;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    byte[] json = new byte[(int) b.readRemaining()];
                    b.read(json);
                    try {
                        return Codec.read(json, smppgw.model.Notification.class).journalIndex();
                    } catch (RuntimeException e) {
                        LOG.warn("notify/{}: last entry {} cannot be read ({}); looking at the one before", client, Long.toHexString(dc.index()),
                                Codec.describe(json));
                    }
                }
            }
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
        try (ExcerptTailer t = queue(operator).createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            while (true) { // from the end, past any entry a crash tore (its journal index is not to be trusted)
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return -1;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long index = b.readRemaining() >= 8 ? b.readLong() : -1;
                    byte[] json = new byte[(int) b.readRemaining()];
                    b.read(json);
                    if (index > 0 && json.length > 0 && json[json.length - 1] == '}') {
                        return index;
                    }
                    LOG.warn("queues/{}: entry {} is torn ({}); looking at the one before", operator, Long.toHexString(dc.index()),
                            Codec.describe(json));
                }
            }
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
                    byte[] data = remaining(dc);
                    visitor.visit(dc.index(), data);
                }
            }
        }
    }

    /**
     * A reader of the journal's records after {@code afterIndex} (from the first if -1, or if that record is gone with
     * retention: then from the oldest kept).
     */
    smppgw.store.JournalTail tail(long afterIndex) {
        ExcerptTailer t = journal.createTailer();
        if (afterIndex >= 0 && t.moveToIndex(afterIndex)) {
            try (DocumentContext dc = t.readingDocument()) {
                // positioned after it
            }
        } else {
            t.toStart();
        }
        return new smppgw.store.JournalTail() {
            @Override
            public boolean next(Visitor visitor) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return false;
                    }
                    byte[] data = remaining(dc);
                    visitor.record(dc.index(), data);
                    return true;
                }
            }

            @Override
            public long lastIndex() {
                long i = journal.lastIndex();
                return i < 0 ? -1 : i;
            }

            @Override
            public void close() {
                t.close();
            }
        };
    }

    /** The rest of a document being read, as bytes. */
    static byte[] remaining(DocumentContext dc) {
        Bytes<?> b = dc.wire().bytes();
        byte[] data = new byte[(int) b.readRemaining()];
        b.read(data);
        return data;
    }

    interface RecordVisitor {
        void visit(long index, byte[] data) throws Exception;
    }

    Appenders appenders() {
        return new Appenders();
    }

    /**
     * Appenders for the journal and every queue, owned by one thread. Before a command writes anything,
     * {@link #reserve} makes sure every file it may write to has the blocks for it ({@link Reservation}); a
     * write that fails half-way is rolled back, never committed with a torn body.
     */
    final class Appenders implements AutoCloseable {
        private final ExcerptAppender journalAppender = journal.createAppender();
        private final Map<String, ExcerptAppender> queueAppenders = new HashMap<>();
        private final Map<String, ExcerptAppender> notifyAppenders = new HashMap<>();
        private final Reservation journalReservation = new Reservation((SingleChronicleQueue) journal);
        private final Map<String, Reservation> queueReservations = new HashMap<>();
        private final Map<String, Reservation> notifyReservations = new HashMap<>();

        /**
         * Reserves room for {@code bytes} more in the journal and in every queue (which of them a command writes to is
         * only known while it runs; the check is a comparison unless a megabyte has gone by).
         *
         * @throws smppgw.store.DiskFullException there is no room: nothing has been written
         */
        void reserve(long bytes) {
            journalReservation.ensure(journalAppender, bytes);
            for (Map.Entry<String, ChronicleQueue> q : queues.entrySet()) {
                queueReservations.computeIfAbsent(q.getKey(), k -> new Reservation((SingleChronicleQueue) q.getValue()))
                        .ensure(queueAppenders.get(q.getKey()), bytes);
            }
            for (Map.Entry<String, ChronicleQueue> q : notifications.entrySet()) {
                notifyReservations.computeIfAbsent(q.getKey(), k -> new Reservation((SingleChronicleQueue) q.getValue()))
                        .ensure(notifyAppenders.get(q.getKey()), bytes);
            }
        }

        long append(byte[] data) {
            write(journalAppender, null, data);
            return journalAppender.lastIndexAppended();
        }

        void notify(String client, byte[] notificationJson) {
            write(notifyAppenders.computeIfAbsent(client, c -> notifications(c).createAppender()), null, notificationJson);
        }

        void enqueue(String operator, long journalIndex, byte[] messageJson) {
            write(queueAppenders.computeIfAbsent(operator, op -> queue(op).createAppender()), journalIndex, messageJson);
        }

        /** One document; if writing it fails, it is rolled back rather than committed with what got written. */
        private static void write(ExcerptAppender a, Long prefix, byte[] data) {
            try (DocumentContext dc = a.writingDocument()) {
                try {
                    Bytes<?> b = dc.wire().bytes();
                    if (prefix != null) {
                        b.writeLong(prefix);
                    }
                    b.write(data);
                } catch (Throwable t) {
                    dc.rollbackOnClose();
                    throw t;
                }
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
