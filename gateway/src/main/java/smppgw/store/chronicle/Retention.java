package smppgw.store.chronicle;

import net.openhft.chronicle.queue.ChronicleQueue;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.PurgeReport;

/**
 * Retention, on the journal thread: what is older than the retention period loses its text, numbers and tracking links.
 * <ul>
 *   <li>State: each message accepted before the cutoff is rewritten without them (ids, operator, client, class, campaign,
 *       times and its whole history stay, so state lookups and campaign reports give the same answers); a reply's words
 *       and a clicked link leave its READ events; its reply-matching, frequency-cap and link entries go; handset
 *       messages, unjoined parts and unmatched receipts received before the cutoff are deleted. A message still held
 *       (SCHEDULED past the cutoff) is purged once its time has passed.</li>
 *   <li>Files: the journal's, queues' and notification queues' daily files before the cutoff are deleted once every
 *       reader is past them (an operator queue nobody read, or notifications a client never took, are kept).</li>
 * </ul>
 * Done in steps of about a millisecond between batches of commands, so a command waits at most about that long for it,
 * never for the whole purge (measured by {@code smppgw-bench retention}); files and compaction go on another thread. The
 * suppression list is kept: it is what stops sending to those numbers. Not journaled: the journal's old files go too,
 * and a crash mid-step repeats the step from the last committed cursor.
 */
final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    /** Messages (and handset messages) looked at per step, at most. */
    static final int STEP = 2_000;
    /** About how long a step may take: the longest a command waits behind retention. */
    static final long STEP_BUDGET_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1);

    private final long retentionMs;
    private final StateDb db;
    private final Journal journal;
    private long messages;
    private long inbound;
    /** The last held message looked at this pass (they are looked at in id order). */
    private String laterAfter;
    /** Time spent in steps this pass. */
    private long stepNanos;
    /** The id range purged since the last {@link #finish}, and the last handset message deleted: what compaction covers. */
    private String firstPurged;
    private String lastPurged;
    private byte[] lastInbound;
    /** Compaction runs here, off the journal thread; RocksDB takes writes meanwhile. */
    private final java.util.concurrent.ExecutorService compactor = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "smppgw-retention");
        t.setDaemon(true);
        return t;
    });

    /** @param retentionMs how long text and numbers are kept; 0 keeps them forever */
    private final RetentionScans scans;

    Retention(long retentionMs, StateDb db, Journal journal) {
        this.scans = new RetentionScans(db);
        this.retentionMs = retentionMs;
        this.db = db;
        this.journal = journal;
    }

    boolean enabled() {
        return retentionMs > 0;
    }

    /**
     * One step over the state database, committed: at most {@link #STEP} records and about {@link #STEP_BUDGET_NS} of
     * work, so commands wait for no longer than that. True while more is left before the cutoff. In order: messages
     * (from the cursor), handset messages, then what a pass ends with (held messages whose time has passed, stray MO
     * parts and receipts).
     */
    boolean step(StateBatch batch, long now) throws RocksDBException {
        long t0 = System.nanoTime();
        try {
            return stepWithin(batch, now, t0 + STEP_BUDGET_NS);
        } finally {
            stepNanos += System.nanoTime() - t0;
        }
    }

    private boolean stepWithin(StateBatch batch, long now, long deadline) throws RocksDBException {
        long cutoff = now - retentionMs;
        String[] last = {null};
        boolean[] more = {false};
        int[] n = {0};
        scans.forMessageIdsAfter(scans.purgedTo(), id -> {
            if (++n[0] > STEP || ((n[0] & 15) == 0 && System.nanoTime() - deadline > 0)) {
                more[0] = true;
                return false;
            }
            try {
                Message m = batch.message(id);
                if (m.acceptedAt() >= cutoff) {
                    return false;
                }
                if (m.purgedAt() == null) {
                    if (held(m, cutoff)) {
                        batch.purgeLater(m.id(), true);
                    } else {
                        purge(m, batch, now, cutoff);
                    }
                }
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
            last[0] = id;
            return true;
        });
        if (last[0] != null) {
            batch.setPurgedTo(last[0]);
        }
        if (!more[0]) {
            int[] mo = {0};
            scans.forInboundBefore(lastInbound, cutoff, STEP, (k, v) -> {
                try {
                    batch.deleteInbound(k);
                    lastInbound = k;
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
                mo[0]++;
            });
            inbound += mo[0];
            more[0] = mo[0] == STEP;
        }
        if (!more[0]) { // messages that were held when the cursor passed them, a step's worth at a time
            List<String> later = scans.purgeLater(laterAfter, STEP);
            for (String id : later) {
                Message m = batch.message(id);
                if (m == null || m.purgedAt() != null) {
                    batch.purgeLater(id, false);
                } else if (!held(m, cutoff)) {
                    purge(m, batch, now, cutoff);
                    batch.purgeLater(id, false);
                }
                laterAfter = id;
            }
            more[0] = later.size() == STEP;
        }
        if (!more[0]) {
            for (byte[] k : scans.moPartsBefore(cutoff)) {
                batch.deleteMoPart(k);
            }
            db.forOrphansBefore(cutoff, (k, v) -> {
                try {
                    batch.deleteOrphan(k);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        if (batch.ops() > 0) {
            batch.commit();
        }
        return more[0];
    }

    /** Held (SCHEDULED) until the cutoff or later: it still has to be sent as written. */
    private static boolean held(Message m, long cutoff) {
        return m.sendAt() != null && m.sendAt() >= cutoff;
    }

    /**
     * When the recipient went on the message's client's list or the gateway's, if that was after the message: what the
     * message's history keeps once the number is purged (the campaign report's opted-out count).
     */
    static Long optedOutSince(StateDb db, Message m) {
        Long since = null;
        for (smppgw.model.Consent c : java.util.Arrays.asList(db.consent(null, m.to()), db.consent(m.client(), m.to()))) {
            if (c != null && c.optedOut() && c.since() >= m.acceptedAt() && (since == null || c.since() < since)) {
                since = c.since();
            }
        }
        return since;
    }

    private void purge(Message m, StateBatch batch, long now, long cutoff) throws RocksDBException {
        if (m.to() != null) {
            String profile = RocksState.READ_PROFILE + smppgw.model.ReadProfile.recipientKey(m.to());
            smppgw.model.ReadProfile p = smppgw.model.ReadProfile.decode(batch.meta(profile));
            if (p != null && p.lastAt() < cutoff) {
                batch.deleteMeta(profile); // every read that made it is past retention: the number goes too
            }
            String key = Keys.lastSentKey(m.to(), m.from());
            String lastMt = batch.lastMt(key);
            if (lastMt != null && lastMt.startsWith(m.id() + '\u0001')) {
                batch.deleteLastMt(key);
            }
            if (Message.PROMOTIONAL.equals(m.messageClass())) {
                batch.deleteCap(m.to(), m.sendAt() != null ? m.sendAt() : m.acceptedAt(), m.id());
            }
        }
        if (m.links() != null) {
            for (String token : m.links().keySet()) {
                batch.deleteLink(token);
            }
        }
        List<Event> history = batch.events(m.id());
        List<Event> kept = new ArrayList<>(history.size() + 1);
        boolean changed = false;
        for (Event e : history) {
            boolean words = e.type() == EventType.READ && e.reason() != null && ("reply".equals(e.via()) || "click".equals(e.via()));
            kept.add(words ? e.withoutReason() : e);
            changed |= words;
        }
        Long out = m.to() == null ? null : optedOutSince(db, m);
        if (out != null) {
            kept.add(Event.optedOut(out));
            changed = true;
        }
        if (changed) {
            batch.putEvents(m.id(), kept);
        }
        Message purged = m.purged(now);
        batch.putMessage(m.id(), Codec.write(purged), purged);
        messages++;
        if (firstPurged == null || m.id().compareTo(firstPurged) < 0) {
            firstPurged = m.id();
        }
        if (lastPurged == null || m.id().compareTo(lastPurged) > 0) {
            lastPurged = m.id();
        }
    }

    /**
     * Ends a pass (call when {@link #step} says nothing is left): in the background, off the journal thread, deletes the
     * daily files before the cutoff that nothing needs any more and compacts the state database so what the steps
     * removed is gone from its files too. Completes with what the pass removed.
     */
    java.util.concurrent.CompletableFuture<PurgeReport> finish(long now) {
        long cutoff = now - retentionMs;
        long msgs = messages;
        long mo = inbound;
        long stepsMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(stepNanos);
        byte[] from = firstPurged == null ? null : Codec.utf8(firstPurged);
        byte[] to = lastPurged == null ? null : Codec.utf8(lastPurged + '\uffff');
        byte[] moTo = lastInbound == null ? null : java.util.Arrays.copyOf(lastInbound, lastInbound.length + 1);
        messages = 0;
        inbound = 0;
        stepNanos = 0;
        firstPurged = null;
        lastPurged = null;
        lastInbound = null;
        laterAfter = null;
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            List<Path> files = deleteFiles(cutoff);
            if (msgs + mo > 0) {
                scans.compactPurged(from, to, moTo);
            }
            if (msgs + mo + files.size() > 0) {
                LOG.info("retention: purged {} messages and {} handset messages accepted before {} ({} ms of steps); deleted {} files",
                        msgs, mo, java.time.Instant.ofEpochMilli(cutoff), stepsMs, files.size());
            }
            return new PurgeReport(msgs, mo, files.stream().map(Path::toString).toList(), stepsMs);
        }, compactor);
    }

    /** The journal's, queues' and notification queues' files wholly before the cutoff that every reader is past. */
    private List<Path> deleteFiles(long cutoff) {
        List<Path> files = new ArrayList<>();
        ChronicleQueue j = journal.journal();
        long applied = db.appliedIndex();
        if (applied >= 0) {
            files.addAll(Journal.deleteCyclesBefore(j, Math.min(Journal.cycleAt(j, cutoff), Journal.cycleOf(j, applied))));
        }
        for (Map.Entry<String, ChronicleQueue> q : journal.queues().entrySet()) {
            files.addAll(deleteRead(q.getValue(), "queue " + q.getKey(), db.cursor(q.getKey()), cutoff));
        }
        for (Map.Entry<String, ChronicleQueue> q : journal.notificationQueues().entrySet()) {
            Long slowest = db.cursors("notify/" + q.getKey() + "/").values().stream().min(Long::compare).orElse(null);
            files.addAll(deleteRead(q.getValue(), "notifications of " + q.getKey(), slowest, cutoff));
        }
        return files;
    }

    /** Waits for a compaction under way (the database must not close under it). */
    void close() {
        compactor.shutdown();
        try {
            if (!compactor.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)) {
                LOG.error("retention compaction still running after 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues whose reader lags past the retention period, warned about once until it catches up. */
    private final java.util.Set<String> lagging = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Files of a queue before the cutoff and before its reader's cursor. */
    private List<Path> deleteRead(ChronicleQueue q, String what, Long cursor, long cutoff) {
        int before = Journal.cycleAt(q, cutoff);
        boolean unread = cursor == null || cursor < 0;
        boolean lags = unread ? q.firstIndex() != Long.MAX_VALUE && Journal.cycleOf(q, q.firstIndex()) < before
                : Journal.cycleOf(q, cursor) < before;
        if (lags && lagging.add(what)) { // once, not every 10 minutes
            LOG.warn("retention: {} {}; its files older than the retention period are kept until it is read", what,
                    unread ? "was never read" : "is read only up to a file older than the retention period");
        } else if (!lags && lagging.remove(what)) {
            LOG.info("retention: {} caught up; its old files go with the next passes", what);
        }
        return unread ? List.of() : Journal.deleteCyclesBefore(q, Math.min(before, Journal.cycleOf(q, cursor)));
    }


    /** This retention as the journal thread's maintenance: its steps run between batches, on the open state batch. */
    smppgw.journal.Maintenance maintenance(RocksState state) {
        Retention purge = this;
        return new smppgw.journal.Maintenance() {
            @Override
            public boolean enabled() {
                return purge.enabled();
            }

            @Override
            public boolean step(long now) throws Exception {
                return purge.step(state.batch(), now);
            }

            @Override
            public java.util.concurrent.CompletableFuture<smppgw.model.PurgeReport> finish(long now) {
                return purge.finish(now);
            }
        };
    }
}
