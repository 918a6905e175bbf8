package smppgw.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.store.MessageStore;
import smppgw.model.MessageView;

/**
 * Follows messages to their final state, then reads what happened from their events (timestamps taken
 * by the gateway): rates per stage, per-second timelines, and accept→DELIVERED latency.
 */
final class Follow {
    final List<MessageView> views = new ArrayList<>();
    final int notFinal;
    final Map<String, Integer> states = new TreeMap<>();
    final Histogram acceptToDelivered = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
    /** Stages from the gateway's own timestamps: accepted → SUBMITTED (journal, queue, bind, SMSC answer), SUBMITTED → receipt. */
    final Histogram acceptToSubmitted = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
    final Histogram submittedToReceipt = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
    final TreeMap<Long, Long> acceptedPerSecond = new TreeMap<>();
    final TreeMap<Long, Long> submittedPerSecond = new TreeMap<>();
    final TreeMap<Long, Long> deliveredPerSecond = new TreeMap<>();
    long firstAccept = Long.MAX_VALUE;
    long lastAccept;
    long firstSubmit = Long.MAX_VALUE;
    long lastSubmit;
    long lastDelivered;
    long delivered;
    long retries;

    /** Waits for every id to be final, giving up only after {@code idleSeconds} without progress. */
    Follow(MessageStore store, List<String> ids, int idleSeconds) {
        List<String> pending = new ArrayList<>(ids);
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty() && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(idleSeconds)) {
            List<String> still = new ArrayList<>();
            for (String id : pending) {
                Optional<MessageView> v = store.find(id);
                if (v.isPresent() && v.get().state().isFinal()) {
                    add(v.get());
                } else {
                    still.add(id);
                }
            }
            if (still.size() < pending.size()) {
                lastProgress = System.nanoTime();
            }
            pending = still;
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
        notFinal = pending.size();
    }

    private void add(MessageView v) {
        views.add(v);
        states.merge(v.state().name(), 1, Integer::sum);
        long accepted = v.message().acceptedAt();
        firstAccept = Math.min(firstAccept, accepted);
        lastAccept = Math.max(lastAccept, accepted);
        acceptedPerSecond.merge(accepted / 1000, 1L, Long::sum);
        long submittedAt = -1;
        for (Event e : v.events()) {
            if (e.type() == EventType.SUBMITTED && submittedAt < 0) {
                submittedAt = e.at();
                acceptToSubmitted.recordValue(Math.max(1, (e.at() - accepted) * 1000));
            }
            if (e.type() == EventType.RECEIPT && submittedAt >= 0 && "DELIVRD".equals(e.stat())) {
                submittedToReceipt.recordValue(Math.max(1, (e.at() - submittedAt) * 1000));
            }
            if (e.type() == EventType.SUBMITTED) {
                firstSubmit = Math.min(firstSubmit, e.at());
                lastSubmit = Math.max(lastSubmit, e.at());
                submittedPerSecond.merge(e.at() / 1000, 1L, Long::sum);
            } else if (e.type() == EventType.RETRY) {
                retries++;
            } else if (e.type() == EventType.RECEIPT && "DELIVRD".equals(e.stat())) {
                delivered++;
                lastDelivered = Math.max(lastDelivered, e.at());
                deliveredPerSecond.merge(e.at() / 1000, 1L, Long::sum);
                acceptToDelivered.recordValue(Math.max(1, (e.at() - accepted) * 1000));
            }
        }
    }

    static double rate(long count, long fromMs, long toMs) {
        return toMs <= fromMs ? 0 : Math.round(count * 1000.0 / (toMs - fromMs));
    }

    double acceptedPerS() {
        return rate(views.size(), firstAccept, lastAccept);
    }

    double submittedPerS() {
        return rate(views.size(), firstSubmit, lastSubmit);
    }

    double deliveredPerS() {
        return rate(delivered, firstAccept, lastDelivered);
    }
}
