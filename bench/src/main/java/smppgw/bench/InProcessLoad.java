package smppgw.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.model.AcceptResult;
import smppgw.model.NewMessage;

/**
 * Intake without HTTP: batches of validated messages handed to {@link Intake#accept} by a few threads,
 * each waiting for its batch to be durably stored before the next. Measures the gateway's core.
 */
final class InProcessLoad {
    record Result(List<String> ids, long refused, Histogram latency, double seconds) {
    }

    /** {@code to(n)} is the destination of message n. Stops at {@code duration} or after {@code limit} messages. */
    static Result run(Intake intake, int threads, int batch, Duration duration, long limit, java.util.function.LongFunction<String> to,
                      boolean keepIds) throws InterruptedException {
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicLong seq = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                while (System.nanoTime() < end && seq.get() < limit) {
                    List<NewMessage> msgs = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        long n = seq.incrementAndGet();
                        try {
                            msgs.add(intake.validate(new Intake.Request("", to.apply(n), "BENCH", "Bonjour, votre code est " + n, null, null)));
                        } catch (InvalidRequestException e) {
                            refused.incrementAndGet();
                        }
                    }
                    if (msgs.isEmpty()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                        continue;
                    }
                    long t0 = System.nanoTime();
                    List<AcceptResult> r = intake.accept(msgs).join();
                    latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    if (keepIds) {
                        r.forEach(a -> ids.add(a.id()));
                    }
                }
            }, "bench-intake-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        return new Result(new ArrayList<>(ids), refused.get(), latency, (System.nanoTime() - start) / 1e9);
    }
}
