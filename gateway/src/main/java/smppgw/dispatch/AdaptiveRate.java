package smppgw.dispatch;

/**
 * How fast an operator may be sent to, adjusted to what its SMSC accepts: each throttling answer
 * (ESME_RTHROTTLED, ESME_RMSGQFUL) cuts the rate by {@code decrease} (at most once per {@code holdNanos},
 * since one burst brings a window's worth of them), and every second without one adds back
 * {@code increase} of the ceiling, up to the ceiling: quickly up to 95% of the rate that was throttled
 * last, then five times slower above it, so the rate spends its time just under what the SMSC takes. The ceiling is the configured tps; for an unlimited
 * operator it is the rate that was being achieved when throttling began, and once the rate recovers to it
 * the operator is unlimited again. Not thread-safe; time is passed in.
 */
public final class AdaptiveRate {
    private final double configured; // 0 = unlimited
    private final double decrease;
    private final double increase;
    private final double floor;
    private final long holdNanos;
    private double ceiling;
    private double current;
    private long lastCut = Long.MIN_VALUE / 2;
    private double throttledAt;
    private long lastTick;

    public AdaptiveRate(double configuredTps, double decrease, double increasePerSecond, double floorTps, long holdNanos, long now) {
        this.configured = configuredTps;
        this.decrease = decrease;
        this.increase = increasePerSecond;
        this.floor = floorTps;
        this.holdNanos = holdNanos;
        this.ceiling = configuredTps;
        this.current = configuredTps;
        this.lastTick = now;
    }

    /** The rate to send at now, or 0 for no limit. */
    public double current() {
        return current;
    }

    public boolean isLimited() {
        return current > 0;
    }

    /**
     * A throttling answer arrived. {@code achievedTps} is the rate actually being sent at, used as the
     * starting point when no limit was set.
     */
    public void onThrottled(long now, double achievedTps) {
        if (now - lastCut < holdNanos) {
            return;
        }
        lastCut = now;
        lastTick = now;
        if (current == 0) {
            ceiling = Math.max(floor, achievedTps);
            current = ceiling;
        }
        throttledAt = current;
        current = Math.max(floor, current * decrease);
    }

    /** Additive recovery: call often; adds {@code increase × ceiling} per second since the last cut. */
    public void tick(long now) {
        if (current == 0 || current >= ceiling) {
            lastTick = now;
            return;
        }
        if (now - lastCut < holdNanos) {
            lastTick = now;
            return;
        }
        double seconds = (now - Math.max(lastTick, lastCut + holdNanos)) / 1e9; // recovery starts when the hold ends
        lastTick = now;
        double fast = increase * ceiling;
        double knee = 0.95 * throttledAt;
        if (current < knee) {
            double toKnee = (knee - current) / fast;
            if (seconds <= toKnee) {
                current += fast * seconds;
                seconds = 0;
            } else {
                current = knee;
                seconds -= toKnee;
            }
        }
        current = Math.min(ceiling, current + fast / 5 * seconds);
        if (current >= ceiling && configured == 0) {
            current = 0; // recovered: unlimited again
        }
    }
}
