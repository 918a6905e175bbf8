package smppgw.model;

import java.security.SecureRandom;

/**
 * Gateway message ids: 26 characters of Crockford base32, 48 bits of millisecond time then 80 random
 * bits (the ULID layout), so ids sort by acceptance time and cannot be guessed. Monotonic within a
 * millisecond. Not thread-safe: one generator per writer thread.
 *
 * <p>The ids of a shard's core (a sharded group, docs/cluster.md) carry the shard in the first 10 of the 80 bits
 * (characters 11 and 12), so any node can tell from an id where the message is ({@link #shardOf}); 70 random bits remain.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private final java.util.random.RandomGenerator random;
    /** The shard carried in each id, or -1. */
    private final int shard;

    public Ids() {
        this(new SecureRandom());
    }

    /** With a given source of randomness (a seeded one makes ids reproducible in tests). */
    public Ids(java.util.random.RandomGenerator random) {
        this(random, -1);
    }

    /** @param shard carried in each id (0 to 1023), or -1 for ids of a gateway that is not sharded (80 random bits) */
    public Ids(java.util.random.RandomGenerator random, int shard) {
        if (shard < -1 || shard > 1023) {
            throw new IllegalArgumentException("shard: 0 to 1023 or -1, not " + shard);
        }
        this.random = random;
        this.shard = shard;
    }
    /** The shard its ids carry, or -1 (a gateway that is not sharded). */
    public int shard() {
        return shard;
    }

    private long lastMillis = -1;
    private long randHi; // 16 bits
    private long randLo; // 64 bits

    public String next(long millis) {
        if (millis <= lastMillis) {
            millis = lastMillis;
            if (++randLo == 0) {
                randHi = shard < 0 ? (randHi + 1) & 0xFFFF : (randHi & ~63L) | ((randHi + 1) & 63);
            }
        } else {
            lastMillis = millis;
            randHi = shard < 0 ? random.nextInt() & 0xFFFF : (long) shard << 6 | random.nextInt() & 63;
            randLo = random.nextLong();
        }
        char[] out = new char[26];
        // 128 bits: time(48) | randHi(16) | randLo(64), written 5 bits at a time from the top (130 bits, 2 leading zeros)
        long hi = (millis << 16) | randHi; // top 64 bits
        long lo = randLo;                  // bottom 64 bits
        for (int i = 25; i >= 0; i--) {
            int bitPos = (25 - i) * 5; // bits from the bottom
            int v;
            if (bitPos + 5 <= 64) {
                v = (int) ((lo >>> bitPos) & 31);
            } else if (bitPos >= 64) {
                v = (int) ((hi >>> (bitPos - 64)) & 31);
            } else {
                int lowBits = 64 - bitPos;
                v = (int) (((lo >>> bitPos) | (hi << lowBits)) & 31);
            }
            out[i] = ALPHABET[v];
        }
        return new String(out);
    }

    /** The acceptance time encoded in an id, or -1 if it is not one of ours. */
    public static long millisOf(String id) {
        if (id == null || id.length() != 26) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < 10; i++) {
            int d = indexOf(id.charAt(i));
            if (d < 0) {
                return -1;
            }
            v = (v << 5) | d;
        }
        return v; // first 10 chars = 50 bits: 2 always-zero bits (128 bits in 130), then the 48 time bits
    }

    /** The shard an id of a sharded group's core carries (characters 11 and 12), or -1 if it is not one of ours. */
    public static int shardOf(String id) {
        if (!looksLikeId(id)) {
            return -1;
        }
        return indexOf(id.charAt(10)) << 5 | indexOf(id.charAt(11));
    }

    public static boolean looksLikeId(String s) {
        if (s == null || s.length() != 26) {
            return false;
        }
        for (int i = 0; i < 26; i++) {
            if (indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
