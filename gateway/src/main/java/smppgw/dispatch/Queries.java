package smppgw.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.smpp.SubmitSmBuilder;
import smppgw.store.MessageStore;

/**
 * Asks the SMSC about parts whose receipt has not come {@code receipts.query-after} after their submit_sm_resp
 * (carriers drop receipts): a query_sm on one of the operator's binds, taking a token of the operator's rate like a
 * submit does. A final {@code message_state} in the answer is recorded like a receipt ({@code via: query}); anything
 * else is asked again later, with back-off, at most {@link #MAX_ATTEMPTS} times and never past the receipt window
 * (then the window's NO_RECEIPT says it). What is due lives in the state database: it survives restarts.
 * Run by the dispatcher's thread; answers come on I/O threads.
 */
final class Queries {
    private static final Logger LOG = LoggerFactory.getLogger(Queries.class);
    static final int MAX_ATTEMPTS = 5;
    private static final long FETCH_EVERY_NS = 500_000_000L;

    private final Dispatcher d;
    private final ArrayDeque<MessageStore.DueQuery> due = new ArrayDeque<>();
    /** Sent and not answered yet: never asked twice at once. */
    private final Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long lastFetch;

    Queries(Dispatcher d) {
        this.d = d;
    }

    private static String key(MessageStore.DueQuery q) {
        return q.at() + "/" + q.smscId();
    }

    /** The next query to send now, or null. */
    MessageStore.DueQuery next(long nanos, long now) {
        long after = d.config.receipts().queryAfter().toMillis();
        if (after <= 0) {
            return null;
        }
        if (due.isEmpty() && nanos - lastFetch > FETCH_EVERY_NS) {
            lastFetch = nanos;
            for (MessageStore.DueQuery q : d.store.dueQueries(d.config.name(), now, 100)) {
                if (!inFlight.contains(key(q))) {
                    due.add(q);
                }
            }
        }
        while (!due.isEmpty()) {
            MessageStore.DueQuery q = due.poll();
            MessageView v = d.store.find(q.id()).orElse(null);
            if (v == null || settled(v, q) || q.attempts() >= MAX_ATTEMPTS) {
                d.store.queryDone(q); // its receipt came, or we have asked enough: the receipt window has the last word
                continue;
            }
            return q;
        }
        return null;
    }

    /** Puts back a query that could not go now. */
    void keep(MessageStore.DueQuery q) {
        due.addFirst(q);
    }

    /** Whether the part already has a final state (a receipt, or an earlier query's answer), or its receipt window ended. */
    private static boolean settled(MessageView v, MessageStore.DueQuery q) {
        for (Event e : v.events()) {
            if (e.type() == EventType.NO_RECEIPT) {
                return true;
            }
            if (e.type() == EventType.RECEIPT && (q.part() == null || e.part() == null || e.part().equals(q.part()))) {
                MessageState s = MessageState.ofReceiptStat(e.stat());
                if (s != null && s.isFinal()) {
                    return true;
                }
            }
        }
        return v.state().isFinal() && v.state() != MessageState.READ;
    }

    /** Sends it; false if no bind could take it now (it is kept for the next turn). */
    boolean send(MessageStore.DueQuery q) {
        MessageView v = d.store.find(q.id()).orElse(null);
        String from = v == null ? "" : v.message().from();
        inFlight.add(key(q));
        boolean sent = d.binds.query(SubmitSmBuilder.query(q.smscId(), from), (resp, bind) -> answered(q, resp, bind));
        if (!sent) {
            inFlight.remove(key(q));
            due.addFirst(q);
        } else {
            d.metrics.queries.labelValues(d.config.name(), "sent").inc();
        }
        return sent;
    }

    private void answered(MessageStore.DueQuery q, com.cloudhopper.smpp.pdu.QuerySmResp resp, String bind) {
        inFlight.remove(key(q));
        String stat = resp == null || resp.getCommandStatus() != 0 ? null : stat(resp.getMessageState());
        long now = d.clock.millis();
        if (stat != null) {
            Event e = Event.queried(now, q.smscId(), bind, stat, String.format("%03d", resp.getErrorCode() & 0xFF));
            try {
                d.store.record(q.id(), d.config.name(), q.part() == null ? e : e.ofPart(q.part(), q.parts()));
                d.store.queryDone(q);
                d.metrics.queries.labelValues(d.config.name(), "final").inc();
            } catch (RuntimeException ex) {
                LOG.warn("[msg:{}] [op:{}] query answer not recorded: {}", q.id(), d.config.name(), ex.getMessage());
            }
            return;
        }
        d.metrics.queries.labelValues(d.config.name(), resp == null ? "no_answer" : resp.getCommandStatus() != 0 ? "error" : "not_final").inc();
        long next = now + Math.min(d.config.receipts().queryAfter().toMillis(), 1000L << Math.min(20, q.attempts() + 1));
        d.store.queryLater(q, next);
    }

    /** The receipt stat a final message_state stands for (SMPP 3.4 5.2.28), or null while it is not final. */
    static String stat(byte state) {
        return switch (state) {
            case 2 -> "DELIVRD";
            case 3 -> "EXPIRED";
            case 4 -> "DELETED";
            case 5 -> "UNDELIV";
            case 8 -> "REJECTD";
            default -> null; // 1 ENROUTE, 6 ACCEPTED, 7 UNKNOWN, 0 scheduled: not final
        };
    }
}
