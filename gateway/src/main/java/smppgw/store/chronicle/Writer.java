package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import smppgw.store.AcceptResult;
import smppgw.store.Cap;
import smppgw.store.Event;
import smppgw.store.EventType;
import smppgw.store.Ids;
import smppgw.store.Inbound;
import smppgw.store.Message;
import smppgw.store.MessageState;
import smppgw.store.NewMessage;
import smppgw.store.OptOut;
import smppgw.store.Promo;
import smppgw.store.Redemption;
import smppgw.store.Receipt;
import smppgw.store.SmscIds;
import smppgw.store.StoreUnavailableException;
import smppgw.store.DiskFullException;

/**
 * The journal thread: the only writer of the journal, the operator queues and the state database. It
 * takes commands in batches, appends each to the journal (accepted messages to their operator's queue
 * too), applies them to one state batch, commits it with the journal index it reached, then completes
 * the callers' futures. Applying in journal order makes idempotency and receipt correlation race-free.
 */
final class Writer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final long SWEEP_EVERY_MS = 10_000;
    /** How often retention looks for what has aged out (it then works in steps until nothing is left). */
    private static final long PURGE_EVERY_NS = TimeUnit.MINUTES.toNanos(10);
    /** When (System.nanoTime) retention runs next: paced in real time; what is old is judged by the clock. */
    private long nextPurge = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    /** Set once, before the journal thread starts. */
    Retention retention;
    /** Purges asked for ({@link Command.Purge}): completed when the next whole purge is done. */
    private final List<CompletableFuture<smppgw.store.PurgeReport>> purgeWaiters = new ArrayList<>();
    /** A purge has steps left. */
    private boolean purging;
    /** Told what each whole purge removed. */
    volatile java.util.function.Consumer<smppgw.store.PurgeReport> onPurge = r -> { };
    /** How often scheduled messages that are due are queued: a message is sent at most this late. */
    private static final long RELEASE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private long lastRelease = System.nanoTime() - RELEASE_EVERY_NS;

    private final Journal journal;
    private final StateDb db;
    private final Clock clock;
    private final Duration receiptWindow;
    private final int maxBatch;
    private final StateLog stateLog;
    private final BlockingQueue<Command> commands;
    private final Ids ids = new Ids();
    private final Map<String, Long> lastQueued = new HashMap<>();
    private final List<Runnable> completions = new ArrayList<>();
    /** Accept commands, from hand-off to durable completion, in microseconds. */
    final org.HdrHistogram.Recorder acceptLatency = new org.HdrHistogram.Recorder(TimeUnit.MINUTES.toMicros(10), 3);
    private volatile boolean running = true;
    /**
     * Correlation keys that have parked receipts (key → how many), so a SUBMITTED only looks in the
     * database when one is waiting for it. Past {@link #MAX_ORPHAN_KEYS} it stops tracking and every
     * SUBMITTED looks (slower, still correct) until a sweep brings the count back down.
     */
    private final Map<String, Integer> orphanKeys = new HashMap<>();
    private static final int MAX_ORPHAN_KEYS = 1_000_000;
    private boolean orphanKeysOverflow;
    private long orphanSeq;
    private long nextSweep;

    private final Notices notices;

    /** Told (operator, millis from SUBMITTED to its receipt) for every receipt matched on arrival. */
    volatile java.util.function.ObjLongConsumer<String> receiptLatency = (op, ms) -> { };

    /** Operator → the name its receipts are correlated under: operators sharing an SMSC account share one. */
    private final Map<String, String> receiptDomains;

    Writer(Journal journal, StateDb db, Clock clock, Duration receiptWindow, int maxBatch, int queueSize, StateLog stateLog,
           Notices notices, Map<String, String> receiptDomains) {
        this.notices = notices;
        this.receiptDomains = Map.copyOf(receiptDomains);
        this.journal = journal;
        this.db = db;
        this.clock = clock;
        this.receiptWindow = receiptWindow;
        this.maxBatch = maxBatch;
        this.stateLog = stateLog;
        this.commands = new ArrayBlockingQueue<>(queueSize);
    }

    /**
     * Before the thread starts: applies journal records the state database has not seen, and re-appends
     * accepted messages a crash left out of their queue (the queue is always a prefix of the journal).
     */
    long recover(List<String> operators) throws Exception {
        this.operators = List.copyOf(operators);
        try (Journal.Appenders app = journal.appenders(); StateBatch batch = db.batch()) {
            return catchUp(app, batch);
        } finally {
            completions.clear();
        }
    }

    /**
     * Brings the state database up to the journal's end: at start, and after a batch whose state write failed (its
     * records are in the journal, so replaying them is all it takes). A record that cannot be read (a write torn by a
     * crash or a full disk in an older version) is logged and left out; it was never acknowledged.
     */
    private long catchUp(Journal.Appenders app, StateBatch batch) throws Exception {
        for (String op : operators) {
            lastQueued.put(op, journal.lastQueuedJournalIndex(op));
        }
        loadOrphanKeys();
        notices.recover(journal);
        cappedInBatch.clear();
        long applied = db.appliedIndex();
        stateLog.quiet(true);
        long[] count = {0};
        try {
            journal.replay(applied, (index, data) -> {
                JournalEntry e = JournalEntry.readable(index, data);
                if (e == null) {
                    return;
                }
                app.reserve(data.length * 3L);
                if (e.kind() == JournalEntry.Kind.ACCEPTED && e.message().sendAt() == null
                        && index > lastQueued.getOrDefault(e.op(), Long.MAX_VALUE)) {
                    app.enqueue(e.op(), index, e.payload());
                    LOG.warn("[msg:{}] [op:{}] re-queued after restart (accepted, not yet queued at the crash)", e.id(), e.op());
                }
                apply(e, batch, index, app);
                if (e.kind() == JournalEntry.Kind.EVENT && e.event().type() == EventType.RELEASED
                        && index > lastQueued.getOrDefault(e.op(), Long.MAX_VALUE)) {
                    app.enqueue(e.op(), index, batch.messageBytes(e.id()));
                    LOG.warn("[msg:{}] [op:{}] re-queued after restart (released, not yet queued at the crash)", e.id(), e.op());
                }
                batch.setApplied(index);
                if (++count[0] % 10_000 == 0) {
                    batch.commit();
                    cappedInBatch.clear();
                    notices.batchDone();
                }
            });
            batch.commit();
            notices.batchDone();
        } finally {
            stateLog.quiet(false);
        }
        return count[0];
    }

    /**
     * Hands a command to the journal thread. Refused at once (never blocking the caller) while the store cannot take
     * it: a command someone waits for gets {@link DiskFullException} while space is low, {@link StoreUnavailableException}
     * while the state database catches up after a failed write; a dispatcher's event is always taken (it is kept and
     * written once space returns, so nothing sent is forgotten).
     */
    void submit(Command c) {
        if (!running) {
            throw new StoreUnavailableException("store is closed", null);
        }
        if (c instanceof Command.Accept || c instanceof Command.StoreReceipt || c instanceof Command.StoreInbound
                || c instanceof Command.StoreOptOut || c instanceof Command.StoreCampaign || c instanceof Command.Redeem) {
            if (lowSpace || diskFull) {
                throw new DiskFullException(diskFull ? "the data directory is full: nothing was stored"
                        : "disk space on the data directory is low: nothing was stored");
            }
            String down = catchingUp;
            if (down != null) {
                throw new StoreUnavailableException(down, null);
            }
        }
        try {
            if (!commands.offer(c, c instanceof Command.Record ? 5000 : 100, TimeUnit.MILLISECONDS)) {
                throw new StoreUnavailableException("store is overloaded: journal queue full", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
    }

    /** Null while the store takes writes; else why not (disk full, catching up after a failed write, closed). */
    String unavailable() {
        if (!running) {
            return "closed";
        }
        if (diskFull) {
            return "disk_full";
        }
        String down = catchingUp;
        return down != null ? "catching_up: " + down : null;
    }

    boolean isWritable() {
        return unavailable() == null;
    }

    /** The gateway's disk guard: below its floor, only dispatcher events are written (from the space kept for them). */
    void lowSpace(boolean low) {
        lowSpace = low;
    }

    void stop() {
        running = false;
    }

    /** Set by the disk guard. */
    private volatile boolean lowSpace;
    /** A reservation failed: the disk is full. Cleared when one succeeds again (tried every {@link #RETRY_NS}). */
    private volatile boolean diskFull;
    /** Why the state database is behind the journal (its last write failed), or null. */
    private volatile String catchingUp;
    /** Dispatcher events not yet journaled (no space, or the state catching up), in arrival order; written first when possible. */
    private final java.util.ArrayDeque<Command.Record> held = new java.util.ArrayDeque<>();
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private long nextRetry;
    private List<String> operators = List.of();

    @Override
    public void run() {
        List<Command> cmds = new ArrayList<>(maxBatch);
        nextSweep = clock.millis() + SWEEP_EVERY_MS;
        try (Journal.Appenders app = journal.appenders(); StateBatch batch = db.batch()) {
            while (running || !commands.isEmpty()) {
                Command first = purging ? commands.poll() : commands.poll(50, TimeUnit.MILLISECONDS); // a purge goes on at once
                long now = clock.millis();
                if ((catchingUp != null || diskFull || !held.isEmpty()) && System.nanoTime() - nextRetry >= 0) {
                    retry(app, batch);
                    nextRetry = System.nanoTime() + RETRY_NS;
                }
                if (catchingUp == null && !diskFull && !lowSpace) { // these write on their own: they wait for space
                    try {
                        housekeeping(app, batch, now);
                    } catch (DiskFullException e) { // part of a sweep or release may be journaled: the state catches up with it
                        diskFull(e);
                        stateFailed(e, batch);
                    } catch (Exception e) {
                        stateFailed(e, batch);
                    }
                }
                if (first == null) {
                    continue;
                }
                cmds.add(first);
                commands.drainTo(cmds, maxBatch - 1);
                runBatch(cmds, app, batch);
                cmds.clear();
            }
        } catch (Throwable t) {
            LOG.error("journal thread failed; the store refuses writes until restart", t);
            catchingUp = "journal thread failed: " + t;
            running = false;
            List<Command> rest = new ArrayList<>();
            commands.drainTo(rest);
            rest.forEach(c -> fail(c, t));
        }
        held.forEach(r -> LOG.error("[msg:{}] event {} not journaled: the store closed while the disk was full", r.id(), r.event().type()));
        purgeWaiters.forEach(w -> w.completeExceptionally(new StoreUnavailableException("store closed before the purge ended", null)));
        purgeWaiters.clear();
    }

    /** Runs one batch of commands: journal, state, then the answers. A failure of either is survived (see the callers). */
    private void runBatch(List<Command> cmds, Journal.Appenders app, StateBatch batch) {
        int i = 0;
        try {
            long last = -1;
            for (; i < cmds.size(); i++) {
                Command c = cmds.get(i);
                if (catchingUp != null || (c instanceof Command.Record r && !held.isEmpty())) {
                    refuseOrHold(c, null);
                    continue;
                }
                try {
                    app.reserve(need(c));
                } catch (DiskFullException e) {
                    diskFull(e);
                    refuseOrHold(c, e);
                    continue;
                }
                last = Math.max(last, execute(c, app, batch));
            }
            if (last >= 0) {
                batch.setApplied(last);
            }
            batch.commit();
            cappedInBatch.clear();
            notices.batchDone();
        } catch (Throwable t) {
            if (i < cmds.size()) { // failed while running this one: it may be half in the journal; the rest never ran
                fail(cmds.get(i), t);
                cmds.subList(i + 1, cmds.size()).forEach(c -> refuseOrHold(c, null));
            }
            stateFailed(t, batch);
            return;
        }
        completions.forEach(Runnable::run);
        completions.clear();
    }

    /** Sweep, release and retention steps, between batches. */
    private void housekeeping(Journal.Appenders app, StateBatch batch, long now) throws Exception {
        if (now >= nextSweep) {
            sweep(app, batch, now);
            nextSweep = now + SWEEP_EVERY_MS;
        }
        if (System.nanoTime() - lastRelease >= RELEASE_EVERY_NS) { // paced in real time; "due" is judged by the clock
            release(app, batch, now);
            lastRelease = System.nanoTime();
        }
        if (System.nanoTime() - nextPurge >= 0 || !purgeWaiters.isEmpty()) {
            purgeStep(batch, now);
        }
    }

    /** Bytes a command may write to any one queue: its records, their queue entries and notifications. */
    private static long need(Command c) {
        if (c instanceof Command.Accept a) {
            long n = 0;
            for (NewMessage m : a.messages()) {
                n += 1024 + 6L * (m.text() == null ? 0 : m.text().length());
            }
            return n;
        }
        return 8 << 10;
    }

    /** A command that could not run now: one someone waits for is refused; a dispatcher's event is kept for later. */
    private void refuseOrHold(Command c, DiskFullException why) {
        if (c instanceof Command.Record r) {
            held.add(r);
        } else if (c instanceof Command.Cursor) {
            // a cursor is committed again a moment later
        } else if (c instanceof Command.Barrier || c instanceof Command.Purge) {
            fail(c, new StoreUnavailableException("the store cannot write now", null));
        } else {
            failWith(c, why != null ? why : diskFull || catchingUp == null ? new DiskFullException("the data directory is full: nothing was stored")
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
     * state database takes writes, and meanwhile the store answers "unavailable". The journal thread carries on. The
     * commands of the batch that reached the journal are answered as done: the journal (and the operator queue) has
     * them, which is what "accepted" means; only their view in the state database lags until it has caught up.
     */
    private void stateFailed(Throwable t, StateBatch batch) {
        if (catchingUp == null) {
            LOG.error("state database write failed; the store refuses writes and catches up from the journal once it can", t);
        }
        if (noSpace(t)) {
            diskFull = true; // refusals say disk_full, and it clears only once space is back
        }
        catchingUp = "state database write failed: " + t.getMessage();
        completions.forEach(Runnable::run);
        completions.clear();
        discard(batch);
    }

    private static boolean noSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DiskFullException || String.valueOf(c.getMessage()).contains("No space left")) {
                return true;
            }
        }
        return false;
    }

    private void discard(StateBatch batch) {
        batch.clear();
        cappedInBatch.clear();
        notices.batchDone();
    }

    /** Every {@link #RETRY_NS} while something is wrong: catch the state up, write the held events, see if space is back. */
    private void retry(Journal.Appenders app, StateBatch batch) {
        if (catchingUp != null) {
            try {
                discard(batch);
                long n = catchUp(app, batch);
                LOG.warn("state database caught up with the journal ({} records applied again); the store takes writes again", n);
                catchingUp = null;
            } catch (DiskFullException e) {
                diskFull(e);
                discard(batch);
                return;
            } catch (Exception e) {
                discard(batch);
                LOG.debug("state database still failing: {}", e.toString());
                return;
            }
        }
        try {
            long last = -1;
            int written = 0;
            while (!held.isEmpty()) {
                Command.Record r = held.peek();
                app.reserve(need(r));
                last = Math.max(last, execute(r, app, batch));
                held.poll();
                written++;
            }
            if (diskFull) {
                app.reserve(Reservation.MARGIN);
            }
            commit(batch, last);
            if (diskFull) {
                diskFull = false;
                LOG.warn("disk space is back: the store takes writes again ({} held events written)", written);
            }
        } catch (DiskFullException e) {
            diskFull(e);
            try {
                batch.commit(); // what was written before space ran out again
                notices.batchDone();
            } catch (Exception ex) {
                stateFailed(ex, batch);
            }
        } catch (Exception e) {
            stateFailed(e, batch);
        }
    }

    /** One step of retention; when nothing is left, its files and compaction, and the waiters are told. */
    private void purgeStep(StateBatch batch, long now) throws RocksDBException {
        if (!retention.enabled()) {
            purgeWaiters.forEach(w -> w.complete(new smppgw.store.PurgeReport(0, 0, List.of(), 0)));
            purgeWaiters.clear();
            nextPurge = System.nanoTime() + PURGE_EVERY_NS;
            return;
        }
        purging = retention.step(batch, now);
        if (purging) {
            nextPurge = System.nanoTime(); // more: another step after the next batch of commands
            return;
        }
        List<CompletableFuture<smppgw.store.PurgeReport>> waiters = List.copyOf(purgeWaiters);
        purgeWaiters.clear();
        retention.finish(now).whenComplete((report, t) -> {
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

    /** How long after a message a reply from its recipient marks it READ (0: never). */
    long replyWindowMs; // set once, before the journal thread starts
    /** Told (message, via, millis from acceptance to READ) when a message becomes READ. */
    volatile smppgw.store.ReadListener onRead = (m, via, ms) -> { };

    /**
     * A handset message from a number that was sent a message within the reply window, to that message's
     * sender address: the message was read (via reply; the reply's text is kept on the event). Keywords count.
     */
    private void matchReply(Inbound mo, long index, StateBatch batch, Journal.Appenders app) throws RocksDBException {
        long window = replyWindowMs;
        if (window <= 0) {
            return;
        }
        String from = mo.from().startsWith("+") ? mo.from() : mo.from().matches("\\d{8,15}") ? "+" + mo.from() : mo.from();
        String last = batch.lastMt(from);
        if (last == null) {
            return;
        }
        int soh = last.indexOf('\u0001');
        String id = last.substring(0, soh);
        long sentAt = Long.parseLong(last.substring(soh + 1));
        if (mo.receivedAt() < sentAt || mo.receivedAt() - sentAt > window) {
            return;
        }
        Message m = batch.message(id);
        if (m == null || m.from() == null || !stripPlus(m.from()).matches("\\d+") || !stripPlus(m.from()).equals(stripPlus(mo.to()))) {
            return; // a reply goes to the (numeric: nobody can answer an alphanumeric sender) sender address; this one went elsewhere
        }
        read(m, Event.read(mo.receivedAt(), "reply", mo.text()), index, batch, app);
    }

    /** Records a READ event; the first one makes the message READ, later ones are kept as events. */
    private void read(Message m, Event ev, long index, StateBatch batch, Journal.Appenders app) throws RocksDBException {
        boolean first = batch.events(m.id()).stream().noneMatch(x -> x.type() == EventType.READ);
        notices.onEvent(m.id(), ev, index, batch, app);
        batch.addEvent(m.id(), Codec.write(ev));
        stateLog.event(m.id(), m.operator(), ev);
        if (first) {
            onRead.read(m, ev.via(), Math.max(0, ev.at() - m.acceptedAt()));
        }
    }

    private static String stripPlus(String s) {
        return s.startsWith("+") ? s.substring(1) : s;
    }

    private final java.security.SecureRandom codeRandom = new java.security.SecureRandom();

    /** A code no message has had, drawn from the promo's alphabet. */
    private String drawCode(Promo p, StateBatch batch) throws RocksDBException {
        while (true) {
            char[] c = new char[p.length()];
            for (int i = 0; i < c.length; i++) {
                c[i] = p.alphabet().charAt(codeRandom.nextInt(p.alphabet().length()));
            }
            String code = new String(c);
            if (batch.code(code) == null) {
                return code;
            }
        }
    }

    /** Redeems a code once, on this thread so two redemptions cannot both win; the first is journaled as READ via code. */
    private long redeem(Command.Redeem r, long now, Journal.Appenders app, StateBatch batch) throws RocksDBException {
        String value = batch.code(r.code());
        Message m = value == null ? null : batch.message(value.split("\u0001")[0]);
        Redemption result;
        long index = -1;
        if (m == null || (r.client() != null && !r.client().equals(m.client()))) {
            result = new Redemption(Redemption.Outcome.UNKNOWN, r.code(), null, null);
        } else if (value.indexOf('\u0001') >= 0) {
            result = new Redemption(Redemption.Outcome.ALREADY, r.code(), m.id(), Long.parseLong(value.substring(value.indexOf('\u0001') + 1)));
        } else {
            JournalEntry e = JournalEntry.event(m.id(), m.operator(), Event.read(now, "code", r.code()));
            index = app.append(e.encode());
            apply(e, batch, index, app);
            result = new Redemption(Redemption.Outcome.REDEEMED, r.code(), m.id(), now);
        }
        Redemption done = result;
        completions.add(() -> r.done().complete(done));
        return index;
    }

    /** Capped messages accepted in the batch being built (not yet visible in the state database), per recipient. */
    private final Map<String, List<Long>> cappedInBatch = new HashMap<>();

    /**
     * When a capped message may be sent: {@code at} itself if fewer than {@code max} of the recipient's capped messages
     * fall in the period before it (later ones, already scheduled, count too); else -1 to refuse it, or with
     * {@code defer} the earliest time after all of them at which the period before it holds fewer than {@code max},
     * moved on to the recipient's next send window.
     */
    private long capTime(NewMessage nm, long at) {
        Cap cap = nm.cap();
        List<Long> times = new ArrayList<>(db.capped(nm.to(), at - cap.periodMs() + 1));
        times.addAll(cappedInBatch.getOrDefault(nm.to(), List.of()));
        times.removeIf(t -> t <= at - cap.periodMs());
        if (times.size() < cap.max()) {
            return at;
        }
        if (!cap.defer()) {
            return -1;
        }
        java.util.Collections.sort(times);
        long fits = Math.max(at, Math.max(times.get(times.size() - cap.max()) + cap.periodMs(), times.get(times.size() - 1)));
        return cap.nextAllowed().applyAsLong(fits);
    }

    /** Journals and applies one command; returns the last journal index written, or -1. */
    private long execute(Command c, Journal.Appenders app, StateBatch batch) throws RocksDBException {
        long now = clock.millis();
        if (c instanceof Command.Accept a) {
            List<AcceptResult> results = new ArrayList<>(a.messages().size());
            long last = -1;
            for (NewMessage nm : a.messages()) {
                String refKey = nm.clientRef() == null ? null : nm.client() + '\u0000' + nm.clientRef();
                String existing = refKey == null ? null : batch.ref(refKey);
                if (existing != null) {
                    results.add(new AcceptResult(existing, true));
                    continue;
                }
                Long sendAt = nm.sendAt() != null && nm.sendAt() > now ? nm.sendAt() : null;
                if (nm.cap() != null) {
                    long at = capTime(nm, sendAt != null ? sendAt : now);
                    if (at < 0) {
                        results.add(AcceptResult.refused("frequency_cap"));
                        continue;
                    }
                    sendAt = at > now ? at : null;
                }
                String code = nm.promo() == null ? null : drawCode(nm.promo(), batch);
                String text = code == null ? nm.text() : nm.text().replace(Promo.PLACEHOLDER, code);
                long validFrom = sendAt != null ? sendAt : now;
                Message m = new Message(ids.next(now), now, nm.operator(), nm.client(), nm.clientRef(), nm.from(), nm.to(), text,
                        nm.validityMs() > 0 ? validFrom + nm.validityMs() : null, nm.receipt() > 0 ? nm.receipt() : null, nm.encoding(),
                        nm.messageClass(), nm.links() == null || nm.links().isEmpty() ? null : nm.links(), code,
                        nm.campaign(), sendAt, null);
                JournalEntry e = JournalEntry.accepted(m); // encoded once: journal, queue and state share the bytes
                last = app.append(e.encode());
                if (sendAt == null) {
                    app.enqueue(m.operator(), last, e.payload()); // a scheduled one is queued when released
                }
                apply(e, batch, last, app);
                if (nm.cap() != null) {
                    cappedInBatch.computeIfAbsent(nm.to(), k -> new ArrayList<>()).add(sendAt != null ? sendAt : now);
                }
                results.add(new AcceptResult(m.id(), false));
            }
            completions.add(() -> {
                acceptLatency.recordValue(Math.max(1, (System.nanoTime() - a.enqueuedAt()) / 1000));
                a.done().complete(results);
            });
            return last;
        } else if (c instanceof Command.Record r) {
            return journal(JournalEntry.event(r.id(), r.operator(), r.event()), null, app, batch);
        } else if (c instanceof Command.StoreReceipt r) {
            return journal(JournalEntry.receipt(r.receipt()), r.done(), app, batch);
        } else if (c instanceof Command.StoreInbound i) {
            return journal(JournalEntry.inbound(i.inbound()), i.done(), app, batch);
        } else if (c instanceof Command.StoreOptOut o) {
            return journal(JournalEntry.optOut(o.change()), o.done(), app, batch);
        } else if (c instanceof Command.StoreCampaign sc) {
            return journal(JournalEntry.campaign(sc.settings()), sc.done(), app, batch);
        } else if (c instanceof Command.Cursor cur) {
            batch.setCursor(cur.operator(), cur.index());
            return -1;
        } else if (c instanceof Command.Barrier b) {
            completions.add(() -> b.done().complete(null));
            return -1;
        } else if (c instanceof Command.Redeem r) {
            return redeem(r, now, app, batch);
        } else if (c instanceof Command.Purge p) {
            purgeWaiters.add(p.done()); // retention runs between batches, where the state batch is empty
            return -1;
        }
        throw new IllegalArgumentException("unknown command " + c);
    }

    /** Appends a record to the journal and applies it; {@code done} (if any) completes once the batch is committed. */
    private long journal(JournalEntry e, CompletableFuture<Void> done, Journal.Appenders app, StateBatch batch) throws RocksDBException {
        long index = app.append(e.encode());
        apply(e, batch, index, app);
        if (done != null) {
            completions.add(() -> done.complete(null));
        }
        return index;
    }

    /** Applies a journal record to the state batch. The same code runs live and on replay. */
    private void apply(JournalEntry e, StateBatch batch, long index, Journal.Appenders app) throws RocksDBException {
        switch (e.kind()) {
            case ACCEPTED -> {
                batch.putLastMt(e.message().to(), e.message().id(), e.message().acceptedAt());
                if (e.message().campaign() != null) {
                    batch.putCampaign(e.message().campaign(), e.message().id());
                }
                if (e.message().promoCode() != null) {
                    batch.putCode(e.message().promoCode(), e.message().id());
                }
                if (e.message().links() != null) {
                    for (Map.Entry<String, String> l : e.message().links().entrySet()) {
                        batch.putLink(l.getKey(), e.message().id(), l.getValue());
                    }
                }
                if (Message.PROMOTIONAL.equals(e.message().messageClass())) { // counted when it is sent
                    Message cm = e.message();
                    batch.putCap(cm.to(), cm.sendAt() != null ? cm.sendAt() : cm.acceptedAt(), cm.id());
                }
                Message m = e.message();
                batch.putMessage(m.id(), e.payload());
                batch.addEvent(m.id(), Codec.write(Event.accepted(m.acceptedAt())));
                if (m.clientRef() != null) {
                    batch.putRef(m.client() + '\u0000' + m.clientRef(), m.id());
                }
                notices.onAccepted(m, index, app);
                stateLog.accepted(m);
                if (e.message().sendAt() != null) {
                    batch.putSchedule(e.message().sendAt(), e.message().id());
                    Event held = Event.scheduled(e.message().acceptedAt(), e.message().sendAt());
                    batch.addEvent(e.message().id(), Codec.write(held));
                    stateLog.event(e.message().id(), e.op(), held);
                }
            }
            case EVENT -> {
                Event ev = e.event();
                if (ev.type() == EventType.RELEASED) {
                    Message m = batch.message(e.id());
                    if (m != null && m.sendAt() != null) {
                        batch.deleteSchedule(m.sendAt(), m.id());
                    }
                }
                if (ev.type() == EventType.READ) {
                    Message m = batch.message(e.id());
                    if (m != null) {
                        if ("code".equals(ev.via()) && m.promoCode() != null) {
                            batch.putCode(m.promoCode(), m.id() + '\u0001' + ev.at());
                        }
                        read(m, ev, index, batch, app);
                    }
                    return;
                }
                notices.onEvent(e.id(), ev, index, batch, app);
                batch.addEvent(e.id(), e.payload());
                if (ev.type() == EventType.SUBMITTED && ev.smscId() != null) {
                    // the correlation entry names the part: "id" or "id NUL part/parts"
                    String target = Correlation.target(e.id(), ev);
                    batch.putCorr(StateDb.corrKey(domain(e.op()), SmscIds.canonical(ev.smscId())), Correlation.value(target, ev.at()), ev.at());
                    matchParkedReceipts(e.id(), e.op(), ev, batch, index, app);
                }
                stateLog.event(e.id(), e.op(), ev);
            }
            case RECEIPT -> {
                Receipt r = e.receipt();
                for (String candidate : SmscIds.candidates(r.smscId())) {
                    String value = batch.corr(StateDb.corrKey(domain(r.operator()), candidate));
                    if (value != null) {
                        String id = Correlation.idOf(value);
                        Event ev = Correlation.receiptEvent(r, Correlation.targetOf(value));
                        long submittedAt = Correlation.submittedAt(value);
                        if (submittedAt >= 0) {
                            receiptLatency.accept(r.operator(), Math.max(0, r.receivedAt() - submittedAt));
                        }
                        notices.onEvent(id, ev, index, batch, app);
                        batch.addEvent(id, Codec.write(ev));
                        stateLog.event(id, r.operator(), ev);
                        return;
                    }
                }
                String key = StateDb.corrKey(domain(r.operator()), SmscIds.canonical(r.smscId()));
                batch.putOrphan(key, r.receivedAt(), orphanSeq++, e.payload());
                if (!orphanKeysOverflow) {
                    orphanKeys.merge(key, 1, Integer::sum);
                    orphanKeysOverflow = orphanKeys.size() > MAX_ORPHAN_KEYS;
                }
                stateLog.parked(r);
            }
            case INBOUND -> {
                Inbound mo = e.inbound();
                if (mo.isPart()) {
                    mo = joinPart(mo, e.payload(), batch);
                    if (mo == null) {
                        return; // more parts to come
                    }
                    batch.putInbound(mo.id(), Codec.write(mo));
                } else {
                    batch.putInbound(e.id(), e.payload());
                }
                notices.onInbound(mo, index, app);
                stateLog.inbound(mo);
                if (mo.optOut() != null) {
                    batch.applyOptOut(mo.optOut());
                    stateLog.optOut(mo.optOut());
                }
                matchReply(mo, index, batch, app);
            }
            case OPT_OUT -> {
                batch.applyOptOut(e.optOut());
                stateLog.optOut(e.optOut());
            }
            case CAMPAIGN -> batch.putCampaignSettings(e.campaign(), e.payload());
        }
    }

    /** Receipts that arrived before this submit was recorded (another bind, or a fast SMSC) match it now. */
    /** A receipt arriving on any bind of an SMSC account matches a submit sent on any other bind of it, whatever the operator. */
    private String domain(String operator) {
        return receiptDomains.getOrDefault(operator, operator);
    }

    private void matchParkedReceipts(String id, String op, Event submitted, StateBatch batch, long index, Journal.Appenders app)
            throws RocksDBException {
        String smscId = submitted.smscId();
        if (!orphanKeysOverflow && orphanKeys.isEmpty()) {
            return;
        }
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (String candidate : SmscIds.candidates(smscId)) {
            String key = StateDb.corrKey(domain(op), candidate);
            if (orphanKeysOverflow || orphanKeys.remove(key) != null) {
                batch.forOrphans(key, (k, v) -> {
                    keys.add(k);
                    values.add(v);
                });
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            Event ev = Correlation.receiptEvent(Codec.read(values.get(i), Receipt.class)).ofPart(
                    submitted.part() == null ? 1 : submitted.part(), submitted.parts() == null ? 1 : submitted.parts());
            notices.onEvent(id, ev, index, batch, app);
            batch.addEvent(id, Codec.write(ev));
            batch.deleteOrphan(keys.get(i));
            stateLog.event(id, op, ev);
        }
    }

    /**
     * Parks a part of a concatenated MO; when the last one is in, returns the whole message (the first
     * part's id and time, the texts in part order) and forgets the parts. Null while parts are missing.
     */
    private Inbound joinPart(Inbound part, byte[] json, StateBatch batch) throws RocksDBException {
        String key = part.operator() + '\u0000' + part.from() + '\u0000' + part.to() + '\u0000' + part.ref() + '\u0000' + part.parts();
        batch.putMoPart(key, part.seq(), json);
        List<byte[]> parts = batch.moParts(key);
        if (parts.size() < part.parts()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        Inbound first = null;
        for (byte[] p : parts) {
            Inbound i = Codec.read(p, Inbound.class);
            first = first == null ? i : first;
            text.append(i.text());
        }
        batch.deleteMoParts(key, part.parts());
        return first.joined(text.toString());
    }

    private void loadOrphanKeys() {
        orphanKeys.clear();
        orphanKeysOverflow = false;
        db.forOrphanKeys(k -> {
            if (!orphanKeysOverflow) {
                orphanKeys.merge(k, 1, Integer::sum);
                orphanKeysOverflow = orphanKeys.size() > MAX_ORPHAN_KEYS;
            }
        });
    }

    /** Queues the scheduled messages whose time has come: a RELEASED event each, then the message into its operator queue. */
    private void release(Journal.Appenders app, StateBatch batch, long now) throws RocksDBException {
        List<String> due = new ArrayList<>();
        db.forDue(now, 10_000, (k, id) -> due.add(id));
        if (due.isEmpty()) {
            return;
        }
        long last = -1;
        for (String id : due) {
            Message m = batch.message(id);
            if (m == null) {
                continue;
            }
            JournalEntry e = JournalEntry.event(id, m.operator(), Event.released(now));
            app.reserve(16 << 10);
            last = app.append(e.encode());
            apply(e, batch, last, app);
            app.enqueue(m.operator(), last, batch.messageBytes(id));
        }
        if (last >= 0) {
            commit(batch, last);
        }
    }

    /** Commits the state batch (with the journal index it reached, if any) and gives the answers that waited for it. */
    private void commit(StateBatch batch, long last) throws RocksDBException {
        if (last >= 0) {
            batch.setApplied(last);
        }
        batch.commit();
        cappedInBatch.clear();
        notices.batchDone();
        completions.forEach(Runnable::run);
        completions.clear();
    }

    /**
     * Ends the wait of messages whose receipt window has passed: a NO_RECEIPT event for those with no
     * final state, and their correlation entries removed. Parked receipts that never matched are dropped.
     */
    private void sweep(Journal.Appenders app, StateBatch batch, long now) throws RocksDBException {
        long before = now - receiptWindow.toMillis();
        List<byte[]> expired = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        db.forCorrBefore(before, 10_000, (k, id) -> {
            expired.add(k);
            ids.add(id);
        });
        long last = -1;
        for (int i = 0; i < expired.size(); i++) {
            String id = Correlation.idOf(ids.get(i));
            List<Event> events = db.events(id);
            boolean settled = MessageState.derive(events).isFinal()
                    || events.stream().anyMatch(ev -> ev.type() == EventType.NO_RECEIPT);
            if (!settled) {
                Message m = db.message(id);
                String op = m == null ? "" : m.operator();
                JournalEntry e = JournalEntry.event(id, op, Event.noReceipt(now, "no final receipt within " + receiptWindow));
                app.reserve(8 << 10);
                last = app.append(e.encode());
                apply(e, batch, last, app);
            }
            batch.deleteCorr(expired.get(i));
        }
        int[] dropped = {0};
        db.forOrphansBefore(before, (k, v) -> {
            try {
                batch.deleteOrphan(k);
                dropped[0]++;
            } catch (RocksDBException ex) {
                throw new IllegalStateException(ex);
            }
        });
        if (last >= 0) {
            batch.setApplied(last);
        }
        if (batch.ops() > 0 || last >= 0) {
            batch.commit();
            notices.batchDone();
        }
        if (dropped[0] > 0) {
            LOG.warn("dropped {} receipts that matched no message within the receipt window", dropped[0]);
            loadOrphanKeys();
        }
        completions.forEach(Runnable::run);
        completions.clear();
    }

    private static void fail(Command c, Throwable t) {
        failWith(c, t instanceof StoreUnavailableException su ? su : new StoreUnavailableException("store write failed: " + t.getMessage(), t));
    }

    private static void failWith(Command c, StoreUnavailableException e) {
        if (c instanceof Command.Accept a) {
            a.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreReceipt r) {
            r.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreInbound i) {
            i.done().completeExceptionally(e);
        } else if (c instanceof Command.Barrier b) {
            b.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreOptOut o) {
            o.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreCampaign sc) {
            sc.done().completeExceptionally(e);
        } else if (c instanceof Command.Redeem r) {
            r.done().completeExceptionally(e);
        } else if (c instanceof Command.Purge p) {
            p.done().completeExceptionally(e);
        } else if (c instanceof Command.Record r) {
            LOG.error("[msg:{}] event {} not journaled: the store failed", r.id(), r.event().type());
        }
    }
}
