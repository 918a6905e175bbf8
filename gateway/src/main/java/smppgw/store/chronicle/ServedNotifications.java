package smppgw.store.chronicle;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import smppgw.journal.Command;
import smppgw.model.Notification;

/**
 * How far each client's notifications have been served, in journal terms, so that a journal restored from its copy
 * ({@code store.type: kafka}) does not make every notification of the restored period again.
 *
 * <p>A notification carries the journal index of the record that made it, and a client's readers (webhook, SMPP)
 * commit the position of the first notification not yet served. Every few seconds (the caller's timer)
 * {@link #checkpoint} turns the slowest reader's position into "served through journal index J" and journals it as a
 * {@code SERVED} record when it moved; the record is copied with the others. A restore ({@link JournalRestore}) keeps
 * the newest per client in {@value #FILE}, and the recovery that follows writes only notifications of records after
 * it. A clean stop (a shard handed to another node, a shutdown) checkpoints once more after the readers' last commits, so
 * nothing acknowledged is notified again; after a crash, what was served after the last checkpoint is (a few seconds'
 * worth): at least once, never skipped.
 * A client whose readers never committed anything has no record, and gets everything.
 */
public final class ServedNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(ServedNotifications.class);
    /** In the data directory: client → served-through index, from the last restore; read at every open. */
    static final String FILE = "restored-served.json";
    /** A position that cannot be told right now (a notification being written at the cursor, a torn one). */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final ChronicleMessageStore store;
    private final Map<String, Long> journaled = new HashMap<>();

    private ServedNotifications(ChronicleMessageStore store) {
        this.store = store;
    }

    /** The checkpoint to run every few seconds, and once more before a clean stop (not on the journal thread: it only submits). */
    public static Runnable checkpoints(ChronicleMessageStore store) {
        return new ServedNotifications(store)::checkpoint;
    }

    synchronized void checkpoint() {
        try {
            if (store.isWritable()) {
                journalMoves();
            }
        } catch (RuntimeException e) { // told next time
            LOG.warn("how far notifications were served could not be journaled: {}", e.toString());
        }
    }

    private void journalMoves() {
        for (String client : store.journal.notifiedClients()) {
            Map<String, Long> cursors = store.db.cursors("notify/" + client + "/");
            long through = Long.MAX_VALUE;
            for (long cursor : cursors.values()) {
                through = Math.min(through, through(store.journal.notifications(client), cursor));
            }
            if (cursors.isEmpty() || through == UNKNOWN || through < 0 || journaled.getOrDefault(client, -1L) == through) {
                continue;
            }
            store.writer.submit(new Command.Served(client, through));
            journaled.put(client, through);
        }
    }

    /**
     * The journal index through which the notifications before {@code cursor} (the next one to read) come: one less
     * than the first unread notification's (a record may make several), or the last one's when all were read.
     */
    static long through(ChronicleQueue q, long cursor) {
        try {
            try (ExcerptTailer t = q.createTailer()) {
                Journal.seek(t, q, cursor);
                try (DocumentContext dc = t.readingDocument()) {
                    if (dc.isPresent()) {
                        return journalIndexOf(dc) - 1;
                    }
                }
            }
            try (ExcerptTailer t = q.createTailer().direction(TailerDirection.BACKWARD).toEnd(); DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    return -1;
                }
                // one written since the look above would be unread: told next time
                return dc.index() < cursor ? journalIndexOf(dc) : UNKNOWN;
            }
        } catch (RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** The journal index of the record that made the notification {@code dc} holds. */
    private static long journalIndexOf(DocumentContext dc) {
        return Codec.read(Journal.remaining(dc), Notification.class).journalIndex();
    }

    /** What the last restore found (client → served through), or nothing. */
    static Map<String, Long> restored(Path dataDir) {
        Path f = dataDir.resolve(FILE);
        if (!Files.exists(f)) {
            return Map.of();
        }
        try {
            Map<String, Long> m = new HashMap<>();
            Codec.read(Files.readAllBytes(f), Map.class).forEach((k, v) -> m.put((String) k, ((Number) v).longValue()));
            return m;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} cannot be read ({}): every restored notification is made again", f, e.toString());
            return Map.of();
        }
    }

    /** A client's floor cursor ({@link #floorAfterServed}): its readers start there or at their own cursor, whichever is further. */
    static final String FLOOR = "notify-floor/";

    /**
     * A warm standby about to serve ({@link JournalMirror}): its notification queues hold every notification made since
     * it began following its group, most of them served by the node that was active. Each client with a known
     * served-through index (the newest {@code SERVED} record copied) gets a floor at its first notification of a later
     * record, so its readers start there, as after a restore.
     */
    static void floorAfterServed(ChronicleMessageStore s) {
        Map<String, Long> served = restored(s.journal.dataDir);
        for (String client : s.journal.notifiedClients()) {
            Long through = served.get(client);
            if (through == null) {
                continue;
            }
            ChronicleQueue q = s.journal.notifications(client);
            long floor = q.lastIndex() + 1; // all of them served: from the next one on
            try (ExcerptTailer t = q.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
                while (true) {
                    try (DocumentContext dc = t.readingDocument()) {
                        if (!dc.isPresent() || journalIndexOf(dc) <= through) {
                            break;
                        }
                        floor = dc.index();
                    }
                }
            }
            try {
                s.db.db.put(s.db.meta, s.db.writeOptions, Codec.utf8(StateDb.CURSOR + FLOOR + client), java.nio.ByteBuffer.allocate(8).putLong(floor).array());
            } catch (org.rocksdb.RocksDBException e) {
                throw new IllegalStateException("state database write failed: " + e.getMessage(), e);
            }
        }
    }

    /** Written by a restore, before the recovery reads it. */
    static void saveRestored(Path dataDir, Map<String, Long> served) {
        try {
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.write(tmp, Codec.write(served));
            Files.move(tmp, dataDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
        }
    }
}
