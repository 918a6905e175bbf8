package smppgw.model;

import java.security.SecureRandom;

/**
 * Gateway message ids: 26 characters of Crockford base32, 48 bits of millisecond time then 80 random
 * bits (the ULID layout), so ids sort by acceptance time and cannot be guessed. Monotonic within a
 * millisecond. Not thread-safe: one generator per writer thread.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private final java.util.random.RandomGenerator random;

    public Ids() {
        this(new SecureRandom());
    }

    /** With a given source of randomness (a seeded one makes ids reproducible in tests). */
    public Ids(java.util.random.RandomGenerator random) {
        this.random = random;
    }
    private long lastMillis = -1;
    private long randHi; // 16 bits
    private long randLo; // 64 bits

    public String next(long millis) {
        if (millis <= lastMillis) {
            millis = lastMillis;
            if (++randLo == 0) {
                randHi = (randHi + 1) & 0xFFFF;
            }
        } else {
            lastMillis = millis;
            randHi = random.nextInt() & 0xFFFF;
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
