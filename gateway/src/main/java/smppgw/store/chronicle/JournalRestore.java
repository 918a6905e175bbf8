package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import smppgw.store.JournalTail;

/**
 * Writes a journal back from a copy of its records ({@code store.type: kafka}: a node whose data directory was lost),
 * each at the index it had, so that everything derived from it — queues, notifications, the state — is rebuilt by the
 * ordinary recovery exactly as it was. Uses Chronicle's appender-at-index (the one its own replication uses).
 */
public final class JournalRestore {
    private JournalRestore() {
    }

    /** Whether the data directory holds no journal record. */
    public static boolean empty(Path dataDir) {
        Path dir = dataDir.resolve("journal");
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).build()) {
            return q.lastIndex() < 0;
        }
    }

    /** The record at {@code index} of the journal in {@code dataDir}, or null if it has none there. */
    public static byte[] record(Path dataDir, long index) {
        if (!Files.isDirectory(dataDir.resolve("journal"))) {
            return null;
        }
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).build()) {
            return record(q, index);
        }
    }

    private static byte[] record(ChronicleQueue q, long index) {
        try (net.openhft.chronicle.queue.ExcerptTailer t = q.createTailer()) {
            if (index < 0 || !t.moveToIndex(index)) {
                return null;
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = t.readingDocument()) {
                return dc.isPresent() && dc.index() == index ? Journal.remaining(dc) : null;
            }
        }
    }

    /**
     * Moves what the store derives from the journal, and the journal, to {@code replaced/<millis>} under the data
     * directory (the one set aside before is deleted): a node of a failover group whose journal another node has
     * continued starts from the group's copy instead. Kept for a look, never read again.
     *
     * @return where it went
     */
    public static Path setAside(Path dataDir) {
        try {
            Path replaced = dataDir.resolve("replaced");
            if (Files.isDirectory(replaced)) {
                try (var old = Files.walk(replaced)) {
                    for (Path f : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            Path to = replaced.resolve(String.valueOf(System.currentTimeMillis()));
            Files.createDirectories(to);
            for (String part : new String[]{"journal", "queues", "notify", "state", ServedNotifications.FILE}) {
                if (Files.exists(dataDir.resolve(part))) {
                    Files.move(dataDir.resolve(part), to.resolve(part));
                }
            }
            return to;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot set the journal in " + dataDir + " aside", e);
        }
    }

    /**
     * Writes the records {@code source} gives, in index order, into the empty journal of {@code dataDir}; a record at
     * an index already written (a copy holding one twice) is skipped. How far each client's notifications had been
     * served ({@link ServedNotifications}) is kept for the recovery, which then makes only the later ones again.
     *
     * @return how many were written
     * @throws IllegalStateException the journal is not empty, or the records leave a gap
     */
    public static long restore(Path dataDir, Consumer<JournalTail.Visitor> source) {
        if (!empty(dataDir)) {
            throw new IllegalStateException("the journal in " + dataDir + " is not empty: nothing restored");
        }
        try (Writer w = new Writer(dataDir, new java.util.HashMap<>())) {
            source.accept(w::write);
            return w.written;
        }
    }

    /**
     * Brings a journal that stopped where the copy went on (its node was active, stopped, another node continued) up to
     * the copy's end: if {@code source} holds the journal's last record as it is, the records after it are appended,
     * and the ordinary recovery then applies just those to the state, queues and notifications already there.
     *
     * @return how many were appended, or -1 if the journal's last record is not in {@code source} as it is (it went
     *         on differently, or the copy no longer holds it): nothing was written
     */
    public static long catchUp(Path dataDir, Consumer<JournalTail.Visitor> source) {
        long last;
        byte[] mine;
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).build()) {
            last = q.lastIndex();
            mine = record(q, last);
        }
        if (mine == null) {
            return -1;
        }
        boolean[] matched = {false};
        try (Writer w = new Writer(dataDir, new java.util.HashMap<>(ServedNotifications.restored(dataDir)))) {
            w.after = last;
            source.accept((index, data) -> {
                if (index == last) {
                    matched[0] = java.util.Arrays.equals(data, mine);
                } else if (index > last) {
                    if (!matched[0]) {
                        throw new Diverged(); // ends the reading of the copy: nothing more to learn from it
                    }
                    w.write(index, data);
                }
            });
            return matched[0] ? w.written : -1;
        } catch (Diverged e) {
            return -1;
        }
    }

    private static final class Diverged extends RuntimeException {
        Diverged() {
            super(null, null, false, false);
        }
    }

    /** Writes records at their indexes, collecting how far each client was served; saves that when closed. */
    static final class Writer implements AutoCloseable {
        private final Path dataDir;
        private final java.util.Map<String, Long> served;
        private final ChronicleQueue q;
        private final InternalAppender a;
        long after = Long.MIN_VALUE;
        long written;
        private boolean failed;

        Writer(Path dataDir, java.util.Map<String, Long> served) {
            this.dataDir = dataDir;
            this.served = served;
            this.q = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).build();
            this.a = (InternalAppender) q.createAppender();
        }

        void write(long index, byte[] data) {
            if (index <= after) {
                return; // a copy holding a record twice
            }
            try {
                a.writeBytes(index, Bytes.wrapForRead(data)); // refuses an index past the next one (not q.lastIndex() per record: a tailer each)
            } catch (net.openhft.chronicle.queue.impl.single.IllegalIndexException e) {
                failed = true;
                throw new IllegalStateException("journal record " + Long.toHexString(index) + " could not be written at its index"
                        + " (the copy has a gap before it; the journal ends at " + Long.toHexString(q.lastIndex()) + ")", e);
            }
            after = index;
            written++;
            if (data.length > 0 && data[0] == 'S') {
                EntryCodec.Decoded d = EntryCodec.readable(index, data);
                if (d != null) {
                    served.put(d.entry().served().client(), d.entry().served().through());
                }
            }
        }

        @Override
        public void close() {
            a.close();
            q.close();
            if (!failed && written > 0) {
                ServedNotifications.saveRestored(dataDir, served);
            }
        }
    }
}
