package smppgw.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import smppgw.model.PurgeReport;
import smppgw.store.DiskFullException;
import smppgw.store.StoreUnavailableException;

/**
 * The journal thread: the only writer of the journal, the queues and the state. It takes commands in batches; for
 * each it runs {@link Commands} (decide, append, project), commits the state batch with the journal index it reached,
 * then answers. Between batches: scheduled release, the receipt window, retention's steps. A loop, not a rulebook:
 * the rules live in their domain packages.
 *
 * <p>It does not stop on a full disk or a failed state write. A command that cannot be written is refused (an event
 * of a submit in flight is kept, in order, until it can be); a failed state write is caught up from the journal once
 * the state database takes writes again. Meanwhile {@link #unavailable()} says why.
 */
public final class JournalThread implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalThread.class);
    private static final long SWEEP_EVERY_MS = 10_000;
    /** How often retention looks for what has aged out (it then works in steps until nothing is left). */
    private static final long PURGE_EVERY_NS = TimeUnit.MINUTES.toNanos(10);
    /** How often scheduled messages that are due are queued: a message is sent at most this late. */
    private static final long RELEASE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Log log;
    private final State state;
    private final Commands commands;
    private final Clock clock;
    private final int maxBatch;
    private final BlockingQueue<Command> queue;
    private final Maintenance maintenance;
    private final List<String> operators;
    /** Told what each whole purge removed. */
    public volatile java.util.function.Consumer<PurgeReport> onPurge = r -> { };

    private volatile boolean running = true;
    /** Set by the disk guard. */
    private volatile boolean lowSpace;
    /** A reservation failed: the disk is full. Cleared when one succeeds again (tried every {@link #RETRY_NS}). */
    private volatile boolean diskFull;
    /** Why the state database is behind the journal (its last write failed), or null. */
    private volatile String catchingUp;
    /** Dispatcher events not yet journaled (no space, or the state catching up), in arrival order; written first when possible. */
    private final ArrayDeque<Command.Record> held = new ArrayDeque<>();
    private final List<CompletableFuture<PurgeReport>> purgeWaiters = new ArrayList<>();
    private final smppgw.store.Claims claims = new smppgw.store.Claims();
    /** When answers may be given; the last journal index written. */
    private volatile Durability durability = Durability.LOCAL;
    private long journalEnd = -1;
    private long recovered;
    private boolean followed;
    private boolean purging;
    private long nextPurge = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    private long lastRelease = System.nanoTime() - RELEASE_EVERY_NS;
    private long nextSweep;
    private long nextRetry;

    public JournalThread(Log log, State state, Projection projection, Clock clock, Observer observer, java.time.Duration receiptWindow,
                         int maxBatch, int queueSize, Maintenance maintenance, List<String> operators, smppgw.model.Ids ids) {
        this.log = log;
        this.state = state;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.maintenance = maintenance;
        this.operators = List.copyOf(operators);
        this.commands = new Commands(log, state, projection, clock, observer, ids, new java.security.SecureRandom(),
                receiptWindow, claims);
    }

    /** Before the thread starts: answers wait for {@code d} (a replica's acknowledgement) instead of the local journal alone. */
    public void durability(Durability d) {
        durability = d;
    }

    /** Who has each queued message: its dispatcher, or a cancel or hold this thread journals. */
    public smppgw.store.Claims claims() {
        return claims;
    }

    /**
     * Before the thread starts: applies the journal records the state has not seen. Returns how many.
     * @param following a warm standby's copy, applied batch after batch: messages queued from it are not logged one by one,
     *                  and it purges what aged out (retention) as the active node does, on the caller's thread
     */
    public long recover(boolean following) throws Exception {
        recovered = commands.catchUp(operators, following);
        if (following && !followed) { // the copy's first apply: what aged out while the node was down goes now
            followed = true;
            nextPurge = System.nanoTime();
        }
        while (following && System.nanoTime() - nextPurge >= 0) { // steps until nothing is left, then next due in 10 minutes
            purgeStep(clock.millis());
        }
        return recovered;
    }

    /** How many records the last {@link #recover} applied. */
    public long recovered() {
        return recovered;
    }

    public org.HdrHistogram.Histogram acceptLatencySinceLastCall() {
        return commands.acceptLatency.getIntervalHistogram();
    }

    /**
     * Hands a command to the journal thread. Refused at once (never blocking the caller) while the store cannot take
     * it: a command someone waits for gets {@link DiskFullException} while space is low, {@link StoreUnavailableException}
     * while the state catches up after a failed write; a dispatcher's event is always taken (it is kept and written
     * once space returns, so nothing sent is forgotten).
     */
    public void submit(Command c) {
        if (!running) {
            throw new StoreUnavailableException("store is closed", null);
        }
        if (c instanceof Command.Accept || c instanceof Command.StoreReceipt || c instanceof Command.StoreInbound
                || c instanceof Command.StoreOptOut || c instanceof Command.StoreCampaign || c instanceof Command.Redeem || c instanceof Command.Reserve
                || c instanceof Command.Cancel || c instanceof Command.Hold || c instanceof Command.Reschedule) {
            if (lowSpace || diskFull) {
                throw new DiskFullException(diskFull ? "the data directory is full: nothing was stored"
                        : "disk space on the data directory is low: nothing was stored");
            }
            String down = catchingUp != null ? catchingUp : durability.behind();
            if (down != null) {
                throw new StoreUnavailableException(down, null);
            }
        }
        try {
            if (!queue.offer(c, c instanceof Command.Record ? 5000 : 100, TimeUnit.MILLISECONDS)) {
                throw new StoreUnavailableException("store is overloaded: journal queue full", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
    }

    /** Null while the store takes writes; else why not: {@code disk_full}, {@code catching_up: ...}, {@code closed}. */
    public String unavailable() {
        if (!running) {
            return "closed";
        }
        if (diskFull) {
            return "disk_full";
        }
        String down = catchingUp;
        return down != null ? "catching_up: " + down : durability.stopped();
    }

    /** {@link #unavailable()}, else whether answers wait too long for a replica ({@link Durability#behind()}), else null. */
    public String health() {
        String down = unavailable();
        return down != null ? down : durability.behind();
    }

    /** The gateway's disk guard: below its floor, only dispatcher events are written (from the space kept for them). */
    public void lowSpace(boolean low) {
        lowSpace = low;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Command> cmds = new ArrayList<>(maxBatch);
        nextSweep = clock.millis() + SWEEP_EVERY_MS;
        try {
            while (running || !queue.isEmpty()) {
                Command first = purging ? queue.poll() : queue.poll(50, TimeUnit.MILLISECONDS); // a purge goes on at once
                if ((catchingUp != null || diskFull || !held.isEmpty()) && System.nanoTime() - nextRetry >= 0) {
                    retry();
                    nextRetry = System.nanoTime() + RETRY_NS;
                }
                if (catchingUp == null && !diskFull && !lowSpace) { // these write on their own: they wait for space
                    housekeeping(clock.millis());
                }
                if (first == null) {
                    continue;
                }
                cmds.add(first);
                queue.drainTo(cmds, maxBatch - 1);
                runBatch(cmds);
                cmds.clear();
            }
        } catch (Throwable t) {
            LOG.error("journal thread failed; the store refuses writes until restart", t);
            catchingUp = "journal thread failed: " + t;
            running = false;
            List<Command> rest = new ArrayList<>();
            queue.drainTo(rest);
            rest.forEach(c -> Refusals.fail(c, t));
        }
        held.forEach(r -> LOG.error("[msg:{}] event {} not journaled: the store closed while the disk was full", r.id(), r.event().type()));
        purgeWaiters.forEach(w -> w.completeExceptionally(new StoreUnavailableException("store closed before the purge ended", null)));
        purgeWaiters.clear();
    }

    /** One batch: journal, state, then the answers. A failure of either is survived. */
    private void runBatch(List<Command> cmds) {
        int i = 0;
        try {
            long last = -1;
            for (; i < cmds.size(); i++) {
                Command c = cmds.get(i);
                if (c instanceof Command.Purge p) {
                    purgeWaiters.add(p.done()); // retention runs between batches, where the state batch is empty
                    continue;
                }
                if (catchingUp != null || (c instanceof Command.Record || c instanceof Command.Cancel || c instanceof Command.Hold) && !held.isEmpty()) {
                    // a cancel or hold waits too: a held event may be the one that says its message left the queue
                    refuseOrHold(c, null);
                    continue;
                }
                try {
                    log.reserve(Commands.need(c));
                } catch (DiskFullException e) {
                    diskFull(e);
                    refuseOrHold(c, e);
                    continue;
                }
                last = Math.max(last, commands.execute(c));
            }
            commit(last);
        } catch (Throwable t) {
            if (i < cmds.size()) { // failed while running this one: it may be half in the journal; the rest never ran
                Refusals.fail(cmds.get(i), t);
                cmds.subList(i + 1, cmds.size()).forEach(c -> refuseOrHold(c, null));
            }
            stateFailed(t);
        }
    }

    /** Commits the state (with the journal index it reached, if any) and gives the answers that waited for it. */
    private void commit(long last) {
        state.commit(last);
        answer(last);
    }

    /** Sweep, release and retention steps, between batches. */
    private void housekeeping(long now) {
        try {
            if (now >= nextSweep) {
                commit(commands.sweep(now));
                nextSweep = now + SWEEP_EVERY_MS;
            }
            if (System.nanoTime() - lastRelease >= RELEASE_EVERY_NS) { // paced in real time; "due" is judged by the clock
                long last = commands.release(now);
                if (last >= 0) {
                    commit(last);
                }
                lastRelease = System.nanoTime();
            }
            if (System.nanoTime() - nextPurge >= 0 || !purgeWaiters.isEmpty()) {
                purgeStep(now);
            }
        } catch (DiskFullException e) { // part of a sweep or release may be journaled: the state catches up with it
            diskFull(e);
            stateFailed(e);
        } catch (Exception e) {
            stateFailed(e);
        }
    }

    /** One step of retention; when nothing is left, its files and compaction, and the waiters are told. */
    private void purgeStep(long now) throws Exception {
        if (!maintenance.enabled()) {
            purgeWaiters.forEach(w -> w.complete(new PurgeReport(0, 0, List.of(), 0)));
            purgeWaiters.clear();
            nextPurge = System.nanoTime() + PURGE_EVERY_NS;
            return;
        }
        purging = maintenance.step(now);
        if (purging) {
            nextPurge = System.nanoTime(); // more: another step after the next batch of commands
            return;
        }
        List<CompletableFuture<PurgeReport>> waiters = List.copyOf(purgeWaiters);
        purgeWaiters.clear();
        maintenance.finish(now).whenComplete((report, t) -> {
            if (t != null) {
                LOG.error("retention: deleting old files or compacting failed", t);
                waiters.forEach(w -> w.completeExceptionally(t));
                return;
            }
            onPurge.accept(report);
            waiters.forEach(w -> w.complete(report));
        });
        nextPurge = System.nanoTime() + PURGE_EVERY_NS;
    }

    /** A command that could not run now: one someone waits for is refused; a dispatcher's event is kept for later. */
    private void refuseOrHold(Command c, DiskFullException why) {
        if (c instanceof Command.Record r) {
            held.add(r);
        } else if (!(c instanceof Command.Cursor || c instanceof Command.Requery || c instanceof Command.Served)) { // asked again a moment later
            Refusals.failWith(c, why != null ? why : diskFull || catchingUp == null
                    ? new DiskFullException("the data directory is full: nothing was stored")
                    : new StoreUnavailableException(catchingUp, null));
        }
    }

    private void diskFull(DiskFullException e) {
        if (!diskFull) {
            LOG.error("{}; refusing intake, receipts and handset messages (answered as temporary errors) until space returns", e.getMessage());
        }
        diskFull = true;
    }

    /**
     * The state write failed (the database is out of space, or a bug): what the journal took is applied again once the
     * state database takes writes, and meanwhile the store answers "unavailable". The commands of the batch that reached
     * the journal are answered as done: the journal (and the operator queue) has them, which is what "accepted" means;
     * only their view in the state database lags until it has caught up.
     */
    private void stateFailed(Throwable t) {
        if (catchingUp == null) {
            LOG.error("state database write failed; the store refuses writes and catches up from the journal once it can", t);
        }
        if (Refusals.noSpace(t)) {
            diskFull = true; // refusals say disk_full, and it clears only once space is back
        }
        catchingUp = "state database write failed: " + t.getMessage();
        answer(-1);
        state.clear();
    }

    /** Gives the answers that waited for the batch once what the journal holds up to here is durable. */
    private void answer(long last) {
        journalEnd = Math.max(journalEnd, last);
        if (!commands.completions.isEmpty()) {
            durability.whenDurable(journalEnd, commands.completions);
            commands.completions.clear();
        }
    }

    /** Every {@link #RETRY_NS} while something is wrong: catch the state up, write the held events, see if space is back. */
    private void retry() {
        if (catchingUp != null) {
            try {
                state.clear();
                long n = commands.catchUp(operators, false);
                LOG.warn("state database caught up with the journal ({} records applied again); the store takes writes again", n);
                catchingUp = null;
            } catch (DiskFullException e) {
                diskFull(e);
                state.clear();
                return;
            } catch (Exception e) {
                state.clear();
                LOG.debug("state database still failing: {}", e.toString());
                return;
            }
        }
        long last = -1;
        try {
            int written = 0;
            while (!held.isEmpty()) {
                Command.Record r = held.peek();
                log.reserve(Commands.need(r));
                last = Math.max(last, commands.execute(r));
                held.poll();
                written++;
            }
            if (diskFull) {
                log.reserve(256 << 10);
            }
            commit(last);
            if (diskFull) {
                diskFull = false;
                LOG.warn("disk space is back: the store takes writes again ({} held events written)", written);
            }
        } catch (DiskFullException e) {
            diskFull(e);
            try {
                commit(last); // what was written before space ran out again
            } catch (Exception ex) {
                stateFailed(ex);
            }
        } catch (Exception e) {
            stateFailed(e);
        }
    }
}
