package smppgw.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import smppgw.store.Event;
import smppgw.store.MessageStore;
import smppgw.store.MessageView;
import smppgw.store.QueueEntry;
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

    Flight(QueueEntry entry, TextPlan plan, int part, int attempt, int failures, long dueAt) {
        this.entry = entry;
        this.plan = plan;
        this.part = part;
        this.attempt = attempt;
        this.failures = failures;
        this.dueAt = dueAt;
    }

    Flight again(int nextFailures, long at) {
        return new Flight(entry, plan, part, attempt + 1, nextFailures, at);
    }

    /** The event, about this part when the message travels in several. */
    Event of(Event e) {
        return e.ofPart(part, plan.segments());
    }

    /** Every part, or for an entry queued before a crash only the parts not yet submitted nor settled. */
    static List<Integer> partsToSend(QueueEntry e, TextPlan plan, MessageStore store, String operator) {
        List<Integer> parts = new ArrayList<>();
        if (!e.recovered()) {
            for (int p = 1; p <= plan.segments(); p++) {
                parts.add(p);
            }
            return parts;
        }
        MessageView v = store.find(e.message().id()).orElse(null);
        if (v == null) {
            LOG.warn("[msg:{}] [op:{}] queued but unknown to the state database; not sent", e.message().id(), operator);
            return parts;
        }
        if (v.state().isFinal()) {
            return parts;
        }
        for (int p = 1; p <= plan.segments(); p++) {
            if (v.partState(p).isPending()) {
                parts.add(p);
            }
        }
        return parts;
    }
}
