package smppgw.rate;

/**
 * Tokens at {@code rate} per second, at most {@code capacity} saved up. With capacity 1 sends are paced
 * evenly; a larger capacity lets an idle sender catch up by that many at once. Time is passed in
 * (nanoseconds, monotonic) so it can be tested exactly. Not thread-safe.
 */
public final class TokenBucket {
    private double rate;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
        if (ratePerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("rate > 0 and capacity >= 1 expected: " + ratePerSecond + ", " + capacity);
        }
        this.rate = ratePerSecond;
        this.capacity = capacity;
        this.tokens = 1; // the first send may go at once, but no saved-up burst at start
        this.last = nowNanos;
    }

    /** The burst allowance for a limit: 2% of a second's worth, at least 1, so no second exceeds 1.02 × rate. */
    public static double capacityFor(double ratePerSecond) {
        return Math.max(1, Math.floor(ratePerSecond / 50));
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(capacity, tokens + (now - last) * rate / 1e9);
            last = now;
        }
    }

    public boolean tryAcquire(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives back a token taken for a send that did not happen. */
    public void refund() {
        tokens = Math.min(capacity, tokens + 1);
    }

    /** How long until a token is available (0 if one is). */
    public long nanosUntilAvailable(long now) {
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 1e9 / rate);
    }

    public double rate() {
        return rate;
    }

    /** Changes the rate from now on; saved tokens are kept (never more than the capacity). */
    public void setRate(double ratePerSecond, long now) {
        refill(now);
        rate = Math.max(ratePerSecond, 1e-3);
    }
}
