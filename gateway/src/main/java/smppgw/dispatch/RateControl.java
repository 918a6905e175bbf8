package smppgw.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.OperatorConfig;
import smppgw.rate.TokenBucket;

/**
 * An operator's send rate: the configured tps as a token bucket, lowered while the SMSC throttles (AIMD,
 * {@link AdaptiveRate}). Throttling answers are signalled from I/O threads; everything else runs on the
 * dispatcher thread.
 */
final class RateControl {
    private static final Logger LOG = LoggerFactory.getLogger(RateControl.class);

    private final String operator;
    private AdaptiveRate rate;
    /** A reloaded configuration, applied by the dispatcher thread at its next {@link #adjust}. */
    private volatile OperatorConfig reloaded;
    private final SendRate sent = new SendRate();
    private final AtomicInteger throttleSignals = new AtomicInteger();
    private TokenBucket bucket;
    private volatile double effectiveTps;
    private volatile double achievedTps;
    /** The highest rate achieved in each of the last 60 seconds (a ring by second): what the operator can drain. */
    private final double[] peaks = new double[60];
    private long peakSecond = -1;
    private volatile double drainTps;
    /**
     * When the dispatcher last had nothing it could send (no message due, paused, draining): a second's rate says how fast
     * the operator drains only when messages waited all of it, not in a second that began idle (sending just started, or
     * the traffic was light).
     */
    private long lastIdle;

    RateControl(OperatorConfig config, long nowNanos) {
        this.operator = config.name();
        this.rate = adaptive(config, nowNanos);
        this.effectiveTps = config.tps();
        this.lastIdle = nowNanos;
    }

    /** The dispatcher found nothing to send. */
    void idle(long nanos) {
        lastIdle = nanos;
    }

    private static AdaptiveRate adaptive(OperatorConfig config, long nowNanos) {
        OperatorConfig.AdaptiveConfig a = config.adaptive();
        return new AdaptiveRate(config.tps(), a.decrease(), a.increase(), a.minTps(), a.hold().toNanos(), nowNanos);
    }

    /**
     * From any thread: a reload changed tps or the adaptive settings. The rate starts again from the new tps
     * (what the SMSC throttled before was measured against the old one); if it still throttles, it is cut again.
     */
    void reconfigure(OperatorConfig config) {
        reloaded = config;
    }

    /** From any thread: the SMSC answered ESME_RTHROTTLED or ESME_RMSGQFUL. */
    void throttled() {
        throttleSignals.incrementAndGet();
    }

    /** Applies throttling answers and recovery to the rate, and the rate to the token bucket. */
    void adjust(long nanos) {
        OperatorConfig r0 = reloaded;
        if (r0 != null) {
            reloaded = null;
            rate = adaptive(r0, nanos);
            LOG.info("[op:{}] send rate {} (reload)", operator, r0.tps() == 0 ? "unlimited" : r0.tps() + "/s");
        }
        achievedTps = sent.perSecond(nanos);
        long second = nanos / 1_000_000_000L;
        if (second != peakSecond) {
            for (long s = Math.max(peakSecond + 1, second - 59); s <= second; s++) {
                peaks[(int) Math.floorMod(s, 60L)] = 0;
            }
            peakSecond = second;
        }
        int at = (int) Math.floorMod(second, 60L);
        if (nanos - lastIdle >= 1_000_000_000L) { // busy for the whole of the last second: what it sent is what it drains
            peaks[at] = Math.max(peaks[at], achievedTps);
        }
        double peak = 0;
        for (double p : peaks) {
            peak = Math.max(peak, p);
        }
        // sending, with no busy second measured in the last minute yet (it just started): its rate, not the part of a second
        // sent so far (which would refuse a backlog it drains in seconds)
        drainTps = peak > 0 ? peak : achievedTps > 0 ? Math.max(achievedTps, effectiveTps) : 0;
        if (throttleSignals.getAndSet(0) > 0) {
            rate.onThrottled(nanos, achievedTps);
        }
        rate.tick(nanos);
        double r = rate.current();
        if (r != effectiveTps) {
            if (effectiveTps == 0 || r == 0) {
                LOG.info("[op:{}] send rate {} (SMSC {})", operator, r == 0 ? "unlimited" : String.format("%.0f/s", r),
                        r == 0 ? "stopped throttling" : "is throttling");
            }
            effectiveTps = r;
        }
        if (r == 0) {
            bucket = null;
        } else if (bucket == null) {
            bucket = new TokenBucket(r, TokenBucket.capacityFor(r), nanos);
        } else if (bucket.rate() != r) {
            bucket.setRate(r, nanos);
        }
    }

    /** True if a submit may go now (a token was taken); else {@link #nanosUntilNext} tells how long to wait. */
    boolean tryAcquire(long nanos) {
        return bucket == null || bucket.tryAcquire(nanos);
    }

    long nanosUntilNext(long nanos) {
        return bucket == null ? 0 : bucket.nanosUntilAvailable(nanos);
    }

    /** The token taken for a submit that could not be sent. */
    void refund() {
        if (bucket != null) {
            bucket.refund();
        }
    }

    void recordSend(long nanos) {
        sent.record(nanos);
    }

    double effectiveTps() {
        return effectiveTps;
    }

    /** ESME_RTHROTTLED and ESME_RMSGQFUL: the SMSC wants less traffic; the message itself is fine. */
    static boolean isThrottling(Integer status) {
        return status != null && (status == smppgw.protocol.CommandStatus.THROTTLED.code() || status == smppgw.protocol.CommandStatus.MSGQFUL.code());
    }

    double achievedTps() {
        return achievedTps;
    }

    /**
     * How fast the backlog drains: the best one-second rate achieved over the last minute in a second during which messages
     * waited all along; while none was (sending just started), the rate it sends at (its tps, or what it achieved when no
     * tps limits it); 0 when nothing was sent in the last second either.
     */
    double drainTps() {
        return drainTps;
    }
}
