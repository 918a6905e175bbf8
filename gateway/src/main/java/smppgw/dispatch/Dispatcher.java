package smppgw.dispatch;

import com.cloudhopper.smpp.pdu.SubmitSm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import smppgw.config.OperatorConfig;
import smppgw.metrics.Metrics;
import smppgw.smpp.OperatorBinds;
import smppgw.smpp.SubmitSmBuilder;
import smppgw.model.Message;
import smppgw.store.MessageStore;
import smppgw.text.TextPlan;
import smppgw.model.QueueEntry;

/**
 * Moves one operator's queue onto its binds: one thread, reading the queue from disk only when a window
 * slot and a token are free, so a backlog of millions stays on disk. The token bucket holds the
 * operator's tps; throttling answers from the SMSC lower it (AIMD) until they stop. Transient errors come
 * back through an inbox and wait in a time-ordered heap; the committed cursor never passes a message that
 * is not resolved, so a restart sends again only what was in flight.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long COMMIT_EVERY_MS = 100;
    private static final long BACKLOG_SYNC_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_WAITING_RETRIES = 10_000;
    private static final int PASS_BY_PER_TURN = 1_000;
    /** The last turn passed {@link #PASS_BY_PER_TURN} queue entries by: the next one comes at once. */
    private boolean passing;

    volatile OperatorConfig config;
    final MessageStore store;
    final OperatorBinds binds;
    final Clock clock;
    volatile Backoff backoff;
    private final Thread thread;
    private final smppgw.store.Unacknowledged unresolved = new smppgw.store.Unacknowledged();
    final ConcurrentLinkedQueue<Flight> inbox = new ConcurrentLinkedQueue<>();
    /** Parts of the entry just read, waiting their turn. */
    private final java.util.ArrayDeque<Flight> partsReady = new java.util.ArrayDeque<>();
    /** Queue index → parts not yet resolved. */
    private final java.util.concurrent.ConcurrentHashMap<Long, AtomicInteger> partsLeft = new java.util.concurrent.ConcurrentHashMap<>();
    private final Retries waiting = new Retries();
    final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    final RateControl rates;
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile boolean paused;
    private volatile boolean held;
    private long lastCommit;
    private long lastBacklogSync;

    final Metrics metrics;

    private final Outcomes outcomes = new Outcomes(this);
    private final Queries queries = new Queries(this);

    public Dispatcher(OperatorConfig config, MessageStore store, OperatorBinds binds, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.store = store;
        this.binds = binds;
        this.clock = clock;
        this.backoff = new Backoff(config.retry().minBackoff(), config.retry().maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
        this.rates = new RateControl(config, System.nanoTime());
        this.thread = new Thread(this::run, "smppgw-dispatch-" + config.name());
    }

    /** Starts the thread and returns once it has opened the queue and counted its backlog. */
    public Dispatcher start() {
        thread.start();
        try {
            ready.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /** New work may be waiting (a message was queued, a slot freed, a bind came up). */
    public void wake() {
        LockSupport.unpark(thread);
    }

    /** Intake stored {@code n} messages for this operator. */
    public void queued(int n) {
        backlog.addAndGet(n);
        wake();
    }

    /**
     * Applies a reloaded configuration of this operator: tps and adaptive settings (the rate restarts from the
     * new tps), retries and back-off, encoding, from the next message on. Its binds are the pool's business.
     */
    public void reconfigure(OperatorConfig next) {
        if (!next.name().equals(config.name())) {
            throw new IllegalArgumentException("operator " + next.name() + " is not " + config.name());
        }
        backoff = new Backoff(next.retry().minBackoff(), next.retry().maxBackoff(), () -> ThreadLocalRandom.current().nextDouble());
        config = next;
        rates.reconfigure(next);
        wake();
    }

    /** Stops sending (what is in flight finishes; retries and the backlog wait). */
    public void pause(boolean p) {
        paused = p;
        wake();
    }

    /** Holds sending while the store cannot take writes safely (disk space low); independent of an admin pause. */
    public void hold(boolean h) {
        held = h;
        wake();
    }

    public boolean paused() {
        return paused;
    }

    public String operator() {
        return config.name();
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long submitted() {
        return submitted.get();
    }

    public long failed() {
        return failed.get();
    }

    public long retried() {
        return retried.get();
    }

    public long expired() {
        return expired.get();
    }

    /** Messages on disk not yet read by the dispatcher. */
    public long backlog() {
        return Math.max(0, backlog.get());
    }

    /** The rate it sends at now (configured tps, lowered while the SMSC throttles); 0 = unlimited. */
    public double effectiveTps() {
        return rates.effectiveTps();
    }

    /** Throttling answers (ESME_RTHROTTLED, ESME_RMSGQFUL) received. */
    public long throttled() {
        return throttled.get();
    }

    /** The best one-second rate over the last minute: the backlog's drain rate (0 when nothing was sent in it). */
    public double drainTps() {
        return rates.drainTps();
    }

    /** The rate achieved over the last second, as last measured by the dispatcher thread. */
    public double achievedTps() {
        return rates.achievedTps();
    }

    /** Messages (parts) waiting for a retry, as of the dispatcher's last turn. */
    private volatile int retryWaiting;

    public int retryWaiting() {
        return retryWaiting;
    }

    private void run() {
        Flight pending = null;
        try (MessageStore.QueueReader reader = store.openQueue(config.name())) {
            backlog.set(reader.backlog());
            lastBacklogSync = System.nanoTime();
            ready.countDown();
            while (running) {
                try {
                    pending = step(reader, pending);
                } catch (RuntimeException e) {
                    // never let one failure strand the queue: log, wait a little, carry on
                    LOG.error("[op:{}] dispatcher error; retrying in 1 s", config.name(), e);
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                }
            }
            commit(reader, clock.millis(), true);
        } catch (Throwable t) {
            LOG.error("[op:{}] dispatcher stopped on an error; messages stay queued for the next start", config.name(), t);
        } finally {
            ready.countDown();
        }
    }

    /** One turn of the loop: take in retries, adjust the rate, then send at most one message. Returns what is still pending. */
    private Flight step(MessageStore.QueueReader reader, Flight pending) {
        for (Flight f; (f = inbox.poll()) != null; ) {
            waiting.add(f);
        }
        retryWaiting = waiting.size();
        long nanos = System.nanoTime();
        rates.adjust(nanos);
        if (nanos - lastBacklogSync > BACKLOG_SYNC_NS) {
            backlog.set(reader.backlog());
            lastBacklogSync = nanos;
        }
        long now = clock.millis();
        if (pending == null && !paused && !held && store.isWritable()) { // receipts overdue: ask (sharing the operator's rate)
            MessageStore.DueQuery q = queries.next(nanos, now);
            if (q != null) {
                if (!rates.tryAcquire(nanos)) {
                    queries.keep(q);
                } else if (queries.send(q)) {
                    rates.recordSend(nanos);
                } else {
                    rates.refund(); // no bind could take it: kept for the next turn
                }
            }
        }
        if (pending == null && !draining && !paused && !held && store.isWritable()) { // nothing new goes out that could not be recorded
            pending = next(reader, now);
        }
        if (pending == null) {
            rates.idle(nanos);
            commit(reader, now, false);
            if (passing) {
                passing = false;
                return null;
            }
            Flight head = waiting.peek();
            long park = head == null ? IDLE_PARK_NS : TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(100, head.dueAt - now)));
            LockSupport.parkNanos(this, park);
            return null;
        }
        Message m = pending.entry.message();
        if (m.expiresAt() != null && now > m.expiresAt()) {
            outcomes.expire(pending, "validity passed before it could be sent");
            return null;
        }
        if (!rates.tryAcquire(nanos)) {
            LockSupport.parkNanos(this, Math.min(IDLE_PARK_NS, Math.max(10_000, rates.nanosUntilNext(nanos))));
            return pending;
        }
        if (send(pending)) {
            rates.recordSend(nanos);
            pending = null;
        } else {
            rates.refund();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10)); // no free window: wait for capacity
        }
        commit(reader, now, false);
        return pending;
    }

    private Flight next(MessageStore.QueueReader reader, long now) {
        if (!partsReady.isEmpty()) {
            return partsReady.poll();
        }
        Flight due = waiting.due(now, binds);
        if (due != null) {
            return due;
        }
        if (waiting.size() >= MAX_WAITING_RETRIES) {
            return null;
        }
        for (int passed = 0; passed < PASS_BY_PER_TURN; passed++) { // entries passed by do not cost a turn (a restore has many)
            QueueEntry e = reader.next();
            if (e == null) {
                return null;
            }
            if (!binds.hasBoundTransmitter() && (e.message().expiresAt() == null || now <= e.message().expiresAt())) {
                // no bind up: only a message whose validity has passed is taken (to end EXPIRED now, not when a bind returns);
                // the queue holds messages in about the order they expire, so the next one waits where it is
                reader.rewind(e.index());
                return null;
            }
            String id = e.message().id();
            if (store.claims().stale(config.name(), id, e.recovered())) { // released since the start: its newer entry sends it
                backlog.decrementAndGet();
                continue;
            }
            smppgw.store.Claims.Take take = store.claims().take(id);
            if (take == smppgw.store.Claims.Take.WAIT) { // a cancel or hold of it is being journaled: its outcome decides
                reader.rewind(e.index());
                return null;
            }
            backlog.decrementAndGet();
            if (take == smppgw.store.Claims.Take.SKIP) {
                continue; // cancelled or held while queued: not sent
            }
            TextPlan plan = SubmitSmBuilder.plan(e.message(), config.encoding());
            List<Flight> flights = Flight.toSend(e, plan, store, config.name(), now);
            if (flights.isEmpty()) {
                store.claims().release(id);
                continue; // resolved (or cancelled, or held) before a restart: nothing to send again
            }
            unresolved.add(e.index());
            partsLeft.put(e.index(), new AtomicInteger(flights.size()));
            partsReady.addAll(flights);
            return partsReady.poll();
        }
        passing = true; // more may follow at once: no pause before the next turn
        return null;
    }

    /** One part is settled (submitted, failed, expired); the entry is when all its parts are. */
    void partResolved(Flight f) {
        AtomicInteger left = partsLeft.get(f.entry.index());
        if (left == null || left.decrementAndGet() <= 0) {
            partsLeft.remove(f.entry.index());
            unresolved.done(f.entry.index());
            store.claims().release(f.entry.message().id());
        }
    }

    /** True if handed to a bind (or failed for good); false if no bind could take it now. */
    private boolean send(Flight f) {
        SubmitSm pdu;
        try {
            pdu = SubmitSmBuilder.build(f.entry.message(), config.encoding(), f.plan, f.part, clock.millis());
        } catch (Exception e) {
            outcomes.fail(f, null, "cannot build submit_sm: " + e.getMessage());
            return true;
        }
        if (f.fate.settled()) {
            return true; // a late answer settled it while it waited for its turn
        }
        inFlight.incrementAndGet();
        if (binds.submit(pdu, outcomes.callback(f, System.nanoTime()), f.unknownSince)) {
            if (f.unknownSince >= 0) {
                f.fate.resent = true;
                metrics.resentAfterTimeout.labelValues(config.name()).inc();
            }
            return true;
        }
        inFlight.decrementAndGet();
        return false;
    }

    private void commit(MessageStore.QueueReader reader, long now, boolean force) {
        if (!force && now - lastCommit < COMMIT_EVERY_MS) {
            return;
        }
        lastCommit = now;
        reader.commit(unresolved.commitPoint(reader.position()));
    }

    /**
     * Stops reading new messages, waits up to {@code timeoutMs} for responses to what is in flight, then
     * stops. Messages waiting for a retry stay in the queue for the next start.
     */
    public void drainAndStop(long timeoutMs) {
        draining = true;
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (inFlight.get() > 0) {
            LOG.warn("[op:{}] {} submits still unanswered at shutdown; they will be sent again at the next start",
                    config.name(), inFlight.get());
        }
        close();
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
