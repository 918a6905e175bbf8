package smppgw.daemon;

import smppgw.config.OperatorConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.intake.Backpressure;
import smppgw.intake.InvalidRequestException;

/**
 * The backlog bounds intake answers 429 at: an operator's {@code max-backlog} (messages), its {@code max-backlog-time}
 * (that much sending at the best rate of the last minute), and {@code intake.max-backlog} for all operators together.
 * Retry-After is the time the operator needs to drain 5% of the excess at its current rate (1 to 60 s).
 */
final class BacklogLimits {
    private BacklogLimits() {
    }

    static InvalidRequestException check(String operator, Dispatcher d, java.util.Collection<Dispatcher> all, OperatorConfig op, long globalMax) {
        long waiting = d.backlog();
        long max = op.maxBacklog();
        if (waiting >= max) {
            return Backpressure.full(operator, "operator " + operator + " has " + waiting + " messages waiting (max-backlog " + max
                    + "); nothing was stored, retry later", retryAfter(d, waiting - max * 0.95));
        }
        java.time.Duration bound = op.maxBacklogTime();
        double drain = d.drainTps();
        if (!bound.isZero() && drain > 0 && waiting >= drain * bound.toMillis() / 1000.0) {
            long limit = (long) (drain * bound.toMillis() / 1000.0);
            return Backpressure.full(operator, "operator " + operator + " has " + waiting + " messages waiting, " + Math.round(waiting / drain)
                    + " s at the " + Math.round(drain) + "/s it sends (max-backlog-time " + smppgw.config.Durations.format(bound)
                    + "); nothing was stored, retry later", retryAfter(d, waiting - limit * 0.95));
        }
        long total = all.stream().mapToLong(Dispatcher::backlog).sum();
        if (total >= globalMax) {
            return Backpressure.full(operator, "the gateway has " + total + " messages waiting (intake.max-backlog " + globalMax
                    + "); nothing was stored, retry later", retryAfter(d, total - globalMax * 0.95));
        }
        return null;
    }

    private static int retryAfter(Dispatcher d, double excess) {
        double rate = d.effectiveTps() > 0 ? d.effectiveTps() : Math.max(1, d.achievedTps());
        return (int) Math.max(1, Math.min(60, Math.ceil(excess / rate)));
    }
}
