package smppgw.route;

/**
 * Which shard of a sharded group (docs/cluster.md, "Step 2 revisited") a recipient belongs to. Every rule keyed by the
 * recipient — its consent on every client's list, its frequency caps, the reply index of its handset, its messages'
 * records — then has one writer: the core of that shard. A recipient's records are in its shard's journal, so this
 * function may never change for a group that exists (its values are pinned by {@code ShardsTest}).
 */
public final class Shards {
    /** The most shards a group may have (ids carry their shard in 10 bits, {@link smppgw.model.Ids}). */
    public static final int MAX = 1024;

    private Shards() {
    }

    /**
     * @param number a recipient's number; only its digits count, so {@code +33612345678} and {@code 33612345678} are one
     * @param shards the group's shard count, 1 to {@link #MAX}
     * @return 0 to {@code shards - 1}
     */
    public static int of(String number, int shards) {
        if (shards < 1 || shards > MAX) {
            throw new IllegalArgumentException("shards: 1 to " + MAX + ", not " + shards);
        }
        long h = 0xcbf29ce484222325L; // FNV-1a over the digits, then mixed so that every bit counts in the modulo
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c >= '0' && c <= '9') {
                h = (h ^ c) * 0x100000001b3L;
            }
        }
        return (int) Long.remainderUnsigned(mix(h), shards);
    }

    /**
     * The shard a tracking link's token or a promo code belongs to: the core of that shard draws only such codes, so a
     * request naming one goes to it (its values are pinned by {@code ShardsTest}, as {@link #of}'s).
     *
     * @param code every character counts, as written (codes are matched exactly)
     */
    public static int ofCode(String code, int shards) {
        if (shards < 1 || shards > MAX) {
            throw new IllegalArgumentException("shards: 1 to " + MAX + ", not " + shards);
        }
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < code.length(); i++) {
            h = (h ^ code.charAt(i)) * 0x100000001b3L;
        }
        return (int) Long.remainderUnsigned(mix(h), shards);
    }

    /** MurmurHash3's 64-bit finalizer: every input bit changes about half of the output bits. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
