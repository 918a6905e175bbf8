package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** The state database as retention reads it: messages in id order, what is marked for later, old handset messages and parts. */
final class RetentionScans {
    private final StateDb s;

    RetentionScans(StateDb s) {
        this.s = s;
    }

    /** The id retention has purged s.messages up to (inclusive), or null. */
    String purgedTo() {
        return Codec.utf8(s.get(s.meta, StateDb.PURGED_TO));
    }

    /** Visits the ids of s.messages after {@code afterId} (null: from the first) in id (acceptance) order while {@code visit} says go on. */
    void forMessageIdsAfter(String afterId, java.util.function.Predicate<String> visit) {
        try (RocksIterator it = s.db.newIterator(s.messages)) {
            if (afterId == null) {
                it.seekToFirst();
            } else {
                it.seek(Codec.utf8(afterId));
                if (it.isValid() && Codec.utf8(it.key()).equals(afterId)) {
                    it.next();
                }
            }
            for (; it.isValid() && visit.test(Codec.utf8(it.key())); it.next()) {
                // visited
            }
        }
    }

    /** Messages retention passed over because they were still held (SCHEDULED) then: purged once they are not. */
    List<String> purgeLater(String afterId, int limit) {
        List<String> out = new ArrayList<>();
        byte[] p = Codec.utf8(StateDb.PURGE_LATER);
        try (RocksIterator it = s.db.newIterator(s.meta)) {
            it.seek(afterId == null ? p : Codec.utf8(StateDb.PURGE_LATER + afterId + '\u0000'));
            for (; it.isValid() && Keys.startsWith(it.key(), p) && out.size() < limit; it.next()) {
                out.add(Codec.utf8(it.key()).substring(StateDb.PURGE_LATER.length()));
            }
        }
        return out;
    }

    /**
     * Inbound s.messages (keys, values) received before {@code beforeMillis}, oldest first, after key {@code after} (null: from
     * the first; a cursor spares seeking over the tombstones of those already deleted), at most {@code limit}.
     */
    void forInboundBefore(byte[] after, long beforeMillis, int limit, BiConsumer<byte[], byte[]> visit) {
        int n = 0;
        try (RocksIterator it = s.db.newIterator(s.inbound)) {
            if (after == null) {
                it.seekToFirst();
            } else {
                it.seek(after);
                if (it.isValid() && Arrays.equals(it.key(), after)) {
                    it.next();
                }
            }
            for (; it.isValid() && n < limit; it.next(), n++) {
                if (Codec.read(it.value(), smppgw.model.Inbound.class).receivedAt() >= beforeMillis) {
                    return; // ids are time-ordered
                }
                visit.accept(it.key(), it.value());
            }
        }
    }

    /** Parked parts of concatenated handset s.messages received before {@code beforeMillis}: their keys. */
    List<byte[]> moPartsBefore(long beforeMillis) {
        List<byte[]> out = new ArrayList<>();
        try (RocksIterator it = s.db.newIterator(s.moParts)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Codec.read(it.value(), smppgw.model.Inbound.class).receivedAt() < beforeMillis) {
                    out.add(it.key());
                }
            }
        }
        return out;
    }

    /**
     * Writes out what is in memory (so the write-ahead logs holding purged values retire) and compacts what retention
     * overwrote or deleted, so it is gone from the database's files too, not just shadowed: s.messages and their s.events
     * in {@code [from, to)}, handset messages up to {@code inboundTo}, and the small indexes whole. Safe beside writes.
     */
    void compactPurged(byte[] from, byte[] to, byte[] inboundTo) {
        // kForce: a table with nothing above it would otherwise be moved down as it is, tombstones and all
        try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true);
             org.rocksdb.CompactRangeOptions co = new org.rocksdb.CompactRangeOptions()
                     .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            s.db.flush(fo, s.handles());
            if (from != null) {
                s.db.compactRange(s.messages, from, to, co);
                s.db.compactRange(s.events, from, to, co);
            }
            if (inboundTo != null) {
                s.db.compactRange(s.inbound, new byte[0], inboundTo, co);
            }
            for (org.rocksdb.ColumnFamilyHandle cf : List.of(s.moParts, s.orphans, s.lastMt, s.caps, s.links, s.meta)) { // meta: read profiles by number
                s.db.compactRange(cf, null, null, co);
            }
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database compaction failed: " + e.getMessage(), e);
        }
    }
}
