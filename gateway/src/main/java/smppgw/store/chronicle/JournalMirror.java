package smppgw.store.chronicle;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.function.Consumer;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import smppgw.store.JournalTail;

/**
 * Keeps a standby's local journal a copy of its failover group's (a warm standby): each record the group's topic gives
 * after the local journal's end is appended at its own index, as {@link JournalRestore#catchUp} does once, but batch
 * after batch while the node stands by. The local journal must be the start of the topic's: its last record is looked
 * for in the topic, and a topic that goes past that index without it (the journal went on differently here: this node
 * wrote records that never reached Kafka before another node took over) makes {@link #append} answer -1; the caller
 * then sets the data directory's journal aside and starts over from the topic's beginning.
 */
public final class JournalMirror {
    private final Path dataDir;
    private long last;
    private byte[] mine;
    private boolean matched;
    private long end;

    public JournalMirror(Path dataDir) {
        this.dataDir = dataDir;
        if (JournalRestore.empty(dataDir)) {
            last = -1;
            matched = true;
        } else {
            try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal")).build()) {
                last = q.lastIndex();
            }
            mine = JournalRestore.record(dataDir, last);
            matched = false;
        }
        end = last;
    }

    /**
     * Applies to a warm standby's copy of the store (opened without its journal thread) the records appended since.
     *
     * @return how many
     */
    public static long apply(ChronicleMessageStore copy) throws Exception {
        return copy.writer.recover(true);
    }

    /**
     * Before a warm standby's copy is closed for the node to serve from it: each client's notification readers will
     * start after what the node that was active had served (as far as its last {@code SERVED} record tells).
     */
    public static void beforeServing(ChronicleMessageStore copy) {
        ServedNotifications.floorAfterServed(copy);
    }

    /**
     * The topic will be read from right after the local journal's last record (its follower resumed there, having found
     * that record in the topic as it is here): what it hands over goes on from the local end.
     */
    public void resumedAtEnd() {
        matched = true;
    }

    /** The local journal's last index (-1: empty). */
    public long end() {
        return end;
    }

    /**
     * Appends the records {@code source} hands over that come after the local journal's end.
     *
     * @return how many were appended, or -1 if the topic showed that the local journal is not the start of it (nothing
     *         more is appended by this mirror)
     */
    public long append(Consumer<JournalTail.Visitor> source) {
        if (!matched && mine == null) {
            return -1; // its last record cannot be read: not a copy to build on
        }
        boolean[] diverged = {false};
        JournalRestore.Writer[] w = {null}; // opened at the first record to write: most calls of a following standby have none
        try {
            source.accept((index, data) -> {
                if (diverged[0]) {
                    return;
                }
                if (!matched) {
                    if (index == last) {
                        matched = java.util.Arrays.equals(data, mine);
                        diverged[0] = !matched;
                    } else if (index > last) {
                        diverged[0] = true;
                    } // else before the local end: the same record, as the topic is read in order
                    return;
                }
                if (w[0] == null) {
                    w[0] = new JournalRestore.Writer(dataDir, new HashMap<>(ServedNotifications.restored(dataDir)));
                    w[0].after = end;
                }
                w[0].write(index, data);
            });
        } finally {
            if (w[0] != null) {
                w[0].close();
                end = Math.max(end, w[0].after);
            }
        }
        if (diverged[0]) {
            matched = false;
            mine = null;
            return -1;
        }
        return w[0] == null ? 0 : w[0].written;
    }
}
