package smppgw.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import smppgw.model.Event;
import smppgw.store.MessageStore;
import smppgw.model.MessageView;
import smppgw.model.QueueEntry;
import smppgw.text.TextPlan;

/**
 * One part of a message on its way: the queue entry, how the text is cut, which part, which send this is,
 * and how many of the failures so far count towards {@code retry.max-attempts} (throttling answers do
 * not: they say "slower", not "bad").
 */
final class Flight {
    private static final Logger LOG = LoggerFactory.getLogger(Flight.class);

    final QueueEntry entry;
    final TextPlan plan;
    final int part;
    final int attempt;
    final int failures;
    final long dueAt;
    /** Shared by all attempts of this part. */
    final Fate fate;
    /**
     * When (epoch millis, as binds count it) the previous attempt ended with its outcome unknown (no answer in time, or
     * the bind lost with it in flight), or -1: this attempt then goes only on a bind heard from since.
     */
    final long unknownSince;

    /**
     * What became of one part, whichever attempt's answer comes first: settled once (submitted, failed, expired). A late
     * answer to an expired attempt can settle it while a retry waits (the retry is then dropped) or after the retry went
     * (then the SMSC has it twice).
     */
    static final class Fate {
        private final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        /** An attempt after one whose outcome was unknown has gone out. */
        volatile boolean resent;

        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        boolean settled() {
            return settled.get();
        }
    }

    Flight(QueueEntry entry, TextPlan plan, int part, int attempt, int failures, long dueAt) {
        this(entry, plan, part, attempt, failures, dueAt, new Fate(), -1);
    }

    private Flight(QueueEntry entry, TextPlan plan, int part, int attempt, int failures, long dueAt, Fate fate, long unknownSince) {
        this.entry = entry;
        this.plan = plan;
        this.part = part;
        this.attempt = attempt;
        this.failures = failures;
        this.dueAt = dueAt;
        this.fate = fate;
        this.unknownSince = unknownSince;
    }

    /** The next attempt, at {@code at}; {@code unknownSince}: see the field (-1 if the last attempt was answered). */
    Flight again(int nextFailures, long at, long unknownSince) {
        return new Flight(entry, plan, part, attempt + 1, nextFailures, at, fate, unknownSince);
    }

    /** The same attempt, later. */
    Flight at(long at) {
        return new Flight(entry, plan, part, attempt, failures, at, fate, unknownSince);
    }

    /** The event, about this part when the message travels in several. */
    Event of(Event e) {
        return e.ofPart(part, plan.segments());
    }

    /**
     * The first send of every part; for an entry queued before a crash, only the parts not yet submitted nor settled,
     * each numbered after the attempts its history shows and with the failures that count towards
     * {@code retry.max-attempts} carried over, so a restart does not give a failing message a fresh set of attempts.
     */
    static List<Flight> toSend(QueueEntry e, TextPlan plan, MessageStore store, String operator, long now) {
        List<Flight> out = new ArrayList<>();
        if (!e.recovered()) {
            for (int p = 1; p <= plan.segments(); p++) {
                out.add(new Flight(e, plan, p, 1, 0, now));
            }
            return out;
        }
        MessageView v = store.find(e.message().id()).orElse(null);
        if (v == null) {
            LOG.warn("[msg:{}] [op:{}] queued but unknown to the state database; not sent", e.message().id(), operator);
            return out;
        }
        if (v.state().isFinal() || v.state() == smppgw.model.MessageState.SCHEDULED) {
            return out; // settled, cancelled, or held (a paused campaign): its resume queues it again
        }
        for (int p = 1; p <= plan.segments(); p++) {
            if (v.partState(p).isPending()) {
                out.add(resumed(e, plan, p, v.events(), now));
            }
        }
        return out;
    }

    private static Flight resumed(QueueEntry e, TextPlan plan, int part, List<Event> history, long now) {
        int attempt = 0;
        int failures = 0;
        for (Event ev : history) {
            if (ev.part() != null && ev.part() != part) {
                continue;
            }
            if (ev.attempt() != null) {
                attempt = Math.max(attempt, ev.attempt());
            }
            if (ev.type() == smppgw.model.EventType.RETRY && !RateControl.isThrottling(ev.status())) {
                failures++;
            }
        }
        return new Flight(e, plan, part, attempt + 1, failures, now);
    }
}
