package smppgw.dispatch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential back-off with jitter: attempt n waits a random time in [d/2, d], d = min * 2^(n-1) capped at max. */
public final class Backoff {
    private final long minMs;
    private final long maxMs;
    private final DoubleSupplier random;

    public Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minMs = min.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
    public long delayMs(int nextAttempt) {
        int shift = Math.min(30, Math.max(0, nextAttempt - 2));
        long d = Math.min(maxMs, minMs << shift);
        long half = d / 2;
        return half + (long) (random.getAsDouble() * (d - half));
    }
}
