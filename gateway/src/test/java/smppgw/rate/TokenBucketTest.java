package smppgw.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private static final long MS = 1_000_000;
    private static final long S = 1_000_000_000;

    @Test
    void pacesEvenlyWithCapacityOne() {
        TokenBucket b = new TokenBucket(10, 1, 0);
        assertTrue(b.tryAcquire(0));
        assertFalse(b.tryAcquire(0));
        assertEquals(100 * MS, b.nanosUntilAvailable(0));
        assertFalse(b.tryAcquire(99 * MS));
        assertTrue(b.tryAcquire(100 * MS));
        // idle for a long time: still only one at once
        assertTrue(b.tryAcquire(10 * S));
        assertFalse(b.tryAcquire(10 * S));
    }

    @Test
    void countsExactlyTheRateInEveryWindowWhenAskingAsFastAsPossible() {
        // 5,000/s with its 2% burst allowance, asked every 10 µs for 10 s: count per second
        TokenBucket b = new TokenBucket(5000, TokenBucket.capacityFor(5000), 0);
        int[] perSecond = new int[10];
        for (long t = 0; t < 10 * S; t += 10_000) {
            if (b.tryAcquire(t)) {
                perSecond[(int) (t / S)]++;
            }
        }
        int total = 0;
        for (int n : perSecond) {
            assertTrue(n <= 5000 * 1.02, "a second with " + n);
            total += n;
        }
        assertTrue(Math.abs(total - 50_000) <= 1, "total " + total);
    }

    @Test
    void burstAfterIdleIsBoundedByCapacity() {
        TokenBucket b = new TokenBucket(1000, TokenBucket.capacityFor(1000), 0);
        assertEquals(20.0, TokenBucket.capacityFor(1000));
        int n = 0;
        while (b.tryAcquire(S)) {
            n++;
        }
        assertEquals(20, n);
    }

    @Test
    void rateChangesTakeEffectAndRefundsReturnTokens() {
        TokenBucket b = new TokenBucket(10, 1, 0);
        assertTrue(b.tryAcquire(0));
        b.setRate(1, 0);
        assertEquals(S, b.nanosUntilAvailable(0));
        b.refund();
        assertTrue(b.tryAcquire(0));
    }
}
