package smppgw.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the simulator has done, for tests and the bench tool. */
public final class SimStats {
    public final AtomicLong bindsAccepted = new AtomicLong();
    public final AtomicLong bindsRejected = new AtomicLong();
    public final AtomicLong submits = new AtomicLong();
    public final AtomicLong submitsRejected = new AtomicLong();
    public final AtomicLong throttled = new AtomicLong();
    public final AtomicLong unanswered = new AtomicLong();
    public final AtomicLong receiptsAcked = new AtomicLong();
    public final AtomicLong receiptsRefused = new AtomicLong();
    public final AtomicLong moAcked = new AtomicLong();
    public final AtomicLong bindsDropped = new AtomicLong();
    private final Map<Long, LongAdder> acceptedPerSecond = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> throttledPerSecond = new ConcurrentHashMap<>();

    void acceptedAt(long millis) {
        acceptedPerSecond.computeIfAbsent(millis / 100, k -> new LongAdder()).increment();
    }

    void throttledAt(long millis) {
        throttledPerSecond.computeIfAbsent(millis / 1000, k -> new LongAdder()).increment();
    }

    /** Submits answered with status 0, per wall-clock second (epoch second → count): the SMSC's view of the rate. */
    public TreeMap<Long, Long> acceptedPerSecond() {
        TreeMap<Long, Long> m = new TreeMap<>();
        acceptedPerSecond.forEach((k, v) -> m.merge(k / 10, v.sum(), Long::sum));
        return m;
    }

    /** The same per 100 ms (epoch millis / 100 → count), for sliding one-second windows. */
    public TreeMap<Long, Long> acceptedPerDecisecond() {
        TreeMap<Long, Long> m = new TreeMap<>();
        acceptedPerSecond.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Submits answered ESME_RTHROTTLED, per wall-clock second. */
    public TreeMap<Long, Long> throttledPerSecond() {
        TreeMap<Long, Long> m = new TreeMap<>();
        throttledPerSecond.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
