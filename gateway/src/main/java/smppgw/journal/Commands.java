package smppgw.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import smppgw.dispatch.Release;
import smppgw.intake.AcceptRule;
import smppgw.model.AcceptResult;
import smppgw.model.EventType;
import smppgw.model.Ids;
import smppgw.model.Message;
import smppgw.model.NewMessage;
import smppgw.policy.Cancellations;
import smppgw.receipt.ReceiptWindow;
import smppgw.state.Change;
import smppgw.track.PromoCodes;

/**
 * What the journal thread does with each command, one step at a time: ask the rule that decides it (given the state
 * as the open batch has it, the time and randomness), append the records it gives to the journal, project each onto
 * the state, and line up the answer for when the batch is committed. Also the timed work (scheduled release, the
 * receipt window) and catching the state up with the journal.
 */
final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private final Log log;
    private final State state;
    private final Projection projection;
    private final Clock clock;
    private final Observer observer;
    private final Ids ids;
    private final RandomGenerator random;
    private final Duration receiptWindow;
    private final smppgw.store.Claims claims;
    /** Answers given once the batch is committed. */
    final List<Runnable> completions = new ArrayList<>();
    /** Accept commands, from hand-off to durable completion, in microseconds. */
    final org.HdrHistogram.Recorder acceptLatency = new org.HdrHistogram.Recorder(TimeUnit.MINUTES.toMicros(10), 3);

    Commands(Log log, State state, Projection projection, Clock clock, Observer observer, Ids ids, RandomGenerator random,
             Duration receiptWindow, smppgw.store.Claims claims) {
        this.claims = claims;
        this.log = log;
        this.state = state;
        this.projection = projection;
        this.clock = clock;
        this.observer = observer;
        this.ids = ids;
        this.random = random;
        this.receiptWindow = receiptWindow;
    }

    /** Bytes a command may write to any one queue: its records, their queue entries and notifications. */
    static long need(Command c) {
        if (c instanceof Command.Accept a) {
            long n = 0;
            for (NewMessage m : a.messages()) {
                n += 1024 + 6L * (m.text() == null ? 0 : m.text().length());
            }
            return n;
        }
        return 8 << 10;
    }

    /** Runs one command; returns the last journal index it wrote, or -1. */
    long execute(Command c) {
        long now = clock.millis();
        if (c instanceof Command.Accept a) {
            return accept(a, now);
        } else if (c instanceof Command.Record r) {
            return write(Entry.event(r.id(), r.operator(), r.event()));
        } else if (c instanceof Command.StoreReceipt r) {
            return answered(write(Entry.receipt(r.receipt())), r.done());
        } else if (c instanceof Command.StoreInbound i) {
            smppgw.model.Inbound mo = projection.optOuts().decide(i.inbound(), state);
            long index = write(Entry.inbound(mo));
            completions.add(() -> i.done().complete(mo));
            return index;
        } else if (c instanceof Command.StoreOptOut o) {
            return answered(write(Entry.optOut(o.change())), o.done());
        } else if (c instanceof Command.StoreCampaign sc) {
            return answered(write(Entry.campaign(sc.settings())), sc.done());
        } else if (c instanceof Command.Served sv) {
            return write(Entry.served(sv.client(), sv.through()));
        } else if (c instanceof Command.Cursor cur) {
            state.cursor(cur.operator(), cur.index());
            return -1;
        } else if (c instanceof Command.Requery rq) {
            smppgw.store.MessageStore.DueQuery q = rq.query();
            state.apply(new Change.DropQuery(q.at(), q.operator(), q.smscId()));
            if (rq.nextAt() >= 0) {
                state.apply(new Change.QueryDue(rq.nextAt(), q.operator(), q.smscId(),
                        new Change.Query(q.id(), q.part(), q.parts(), q.submittedAt(), q.attempts() + 1)));
            }
            return -1;
        } else if (c instanceof Command.Barrier b) {
            completions.add(() -> b.done().complete(null));
            return -1;
        } else if (c instanceof Command.Hold h) {
            Cancellations.Decision d = Cancellations.hold(h.id(), h.client(), h.pause(), state, now);
            boolean won = !d.queued() || claims.stop(h.id());
            long index = won ? stop(h.id(), d) : -1;
            completions.add(() -> h.done().complete(won && d.entry().isPresent()));
            return index;
        } else if (c instanceof Command.Cancel k) {
            Cancellations.Decision d = Cancellations.decide(k.id(), k.client(), state, now);
            Cancellations.Decision answer = !d.queued() || claims.stop(k.id()) ? d : d.tooLate();
            long index = answer == d ? stop(k.id(), d) : -1;
            completions.add(() -> k.done().complete(answer.answer()));
            return index;
        } else if (c instanceof Command.Reschedule r) {
            java.util.Optional<Entry> e = Cancellations.reschedule(r.id(), r.client(), r.until(), "campaign started", state, now);
            long index = e.map(this::write).orElse(-1L);
            completions.add(() -> r.done().complete(e.isPresent()));
            return index;
        } else if (c instanceof Command.Reserve rv) {
            List<String> answers = new ArrayList<>(rv.reservations().size());
            long last = -1;
            for (smppgw.model.RefReservation r : rv.reservations()) {
                AcceptRule.Held h = AcceptRule.reserve(r, state);
                if (h.journal()) {
                    last = write(Entry.reservation(r)); // projected at once: the next reservation of the command sees it
                }
                answers.add(h.conflict());
            }
            completions.add(() -> rv.done().complete(answers));
            return last;
        } else if (c instanceof Command.Redeem r) {
            PromoCodes.Decision d = PromoCodes.redeem(r.code(), r.client(), state, now);
            long index = d.entry().map(this::write).orElse(-1L);
            completions.add(() -> r.done().complete(d.answer()));
            return index;
        }
        throw new IllegalArgumentException("not a command for this step: " + c);
    }

    /** Journals a cancel or hold; for a queued message whose claim the journal thread holds, passes it to the dispatcher. */
    private long stop(String id, Cancellations.Decision d) {
        if (d.entry().isEmpty()) {
            return -1;
        }
        if (!d.queued()) {
            return write(d.entry().get());
        }
        try {
            long index = write(d.entry().get());
            claims.stopped(id);
            return index;
        } catch (RuntimeException | Error e) {
            claims.abandon(id); // not journaled: it goes out as if never asked
            throw e;
        }
    }

    private long answered(long index, java.util.concurrent.CompletableFuture<Void> done) {
        completions.add(() -> done.complete(null));
        return index;
    }

    private long accept(Command.Accept a, long now) {
        List<AcceptResult> results = new ArrayList<>(a.messages().size());
        long last = -1;
        for (NewMessage nm : a.messages()) {
            AcceptRule.Outcome o = AcceptRule.decide(nm, state, now, ids, random);
            if (o instanceof AcceptRule.Duplicate d) {
                results.add(new AcceptResult(d.id(), true));
            } else if (o instanceof AcceptRule.Refused r) {
                results.add(AcceptResult.refused(r.reason()));
            } else if (o instanceof AcceptRule.Conflict cf) {
                results.add(new AcceptResult(cf.existingId(), false, "client_ref_conflict"));
            } else if (o instanceof AcceptRule.Accepted acc) {
                Message m = acc.message();
                Entry e = Entry.accepted(m);
                Log.Appended w = log.append(e); // encoded once: journal, queue and state share the bytes
                if (m.sendAt() == null) {
                    log.enqueue(m.operator(), w.index(), m, w.json()); // a scheduled one is queued when released
                }
                project(e, w.json(), w.index());
                last = w.index();
                results.add(new AcceptResult(m.id(), false));
            }
        }
        completions.add(() -> {
            acceptLatency.recordValue(Math.max(1, (System.nanoTime() - a.enqueuedAt()) / 1000));
            a.done().complete(results);
        });
        return last;
    }

    /** Appends a record and projects it; returns its journal index. */
    long write(Entry e) {
        Log.Appended w = log.append(e);
        project(e, w.json(), w.index());
        return w.index();
    }

    private void project(Entry e, byte[] json, long index) {
        projection.project(e, json, index, state, c -> apply(c, index));
    }

    private void apply(Change c, long index) {
        if (c instanceof Change.Notify n) {
            log.notify(n.client(), index, n.notification());
        } else if (!(c instanceof Change.FirstRead || c instanceof Change.ReceiptMatched || c instanceof Change.ReceiptParked
                || c instanceof Change.ReceiptUnmatched || c instanceof Change.IdFormatChanged)) {
            state.apply(c);
        }
        observer.changed(c);
    }

    /** Queues the scheduled messages whose time has come: a RELEASED event each, then the message into its operator's queue. */
    long release(long now) {
        long last = -1;
        for (Entry e : Release.due(now, state)) {
            log.reserve(16 << 10);
            last = write(e);
            log.enqueue(e.op(), last, state.message(e.id()), null);
            claims.requeued(e.op(), e.id());
        }
        return last;
    }

    /** The receipt window: NO_RECEIPT for parts whose receipt is overdue, their index entries and stale parked receipts dropped. */
    long sweep(long now) {
        ReceiptWindow.Sweep s = ReceiptWindow.sweep(now, receiptWindow.toMillis(), smppgw.config.Durations.format(receiptWindow), state,
                c -> apply(c, -1));
        long last = -1;
        for (Entry e : s.entries()) {
            log.reserve(8 << 10);
            last = write(e);
        }
        if (s.dropped() > 0) {
            LOG.warn("dropped {} receipts that matched no message within the receipt window", s.dropped());
        }
        return last;
    }

    private static final int REQUEUED_LOGGED = 10;

    /** The first few messages put back in their queue by a catch-up are logged one by one; the rest are counted. */
    private static void requeued(long n, Entry e, String how) {
        if (n > 0 && n <= REQUEUED_LOGGED) { // 0: a warm standby following its group, not a restart
            LOG.warn("[msg:{}] [op:{}] re-queued after restart ({}, not yet queued at the crash)", e.id(), e.op(), how);
        }
    }

    /**
     * Brings the state up to the journal's end: at start, and after a batch whose state write failed (its records are
     * in the journal, so replaying them is all it takes). Messages a crash left out of their operator's queue are put
     * back (the queue is always a prefix of the journal).
     */
    long catchUp(List<String> operators, boolean following) throws Exception {
        log.resync();
        state.resync();
        Map<String, Long> queued = new HashMap<>();
        for (String op : operators) {
            queued.put(op, log.lastQueued(op));
        }
        long[] count = {0};
        long[] last = {-1};
        long[] requeued = {0};
        observer.replaying(true);
        try {
            log.replay(state.appliedIndex(), (index, e, json) -> {
                log.reserve(json == null ? 8 << 10 : json.length * 3L);
                boolean missing = index > queued.getOrDefault(e.op() == null ? "" : e.op(), Long.MAX_VALUE);
                if (e.kind() == Entry.Kind.ACCEPTED && e.message().sendAt() == null && missing) {
                    log.enqueue(e.op(), index, e.message(), json);
                    requeued(following ? 0 : ++requeued[0], e, "accepted");
                }
                project(e, json, index);
                if (e.kind() == Entry.Kind.EVENT && e.event().type() == EventType.RELEASED && missing) {
                    log.enqueue(e.op(), index, state.message(e.id()), null);
                    requeued(following ? 0 : ++requeued[0], e, "released");
                }
                last[0] = index;
                if (++count[0] % 10_000 == 0) {
                    state.commit(index);
                }
            });
            state.commit(last[0]);
        } finally {
            observer.replaying(false);
        }
        if (requeued[0] > REQUEUED_LOGGED) {
            LOG.warn("re-queued {} messages in all (a queue rebuilt: those already resolved are passed by, not sent again)", requeued[0]);
        }
        completions.clear();
        return count[0];
    }
}
