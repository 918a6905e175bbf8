package smppgw.api.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.PduResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import smppgw.store.MessageStore;
import smppgw.model.Notification;

/**
 * Delivers a client's receipts and handset messages as deliver_sm on its receiving binds, durably: the
 * notification queue is read from a committed cursor that never passes an entry the client has not
 * acknowledged with a deliver_sm_resp of 0. While no receiver is bound, entries wait on disk; entries
 * refused, unanswered within {@link #RESPONSE_TIMEOUT_MS} or in flight on a lost bind are sent again.
 */
final class SmppNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppNotifier.class);
    private static final long RESPONSE_TIMEOUT_MS = 30_000;
    private static final long RETRY_MS = 1_000;
    /**
     * How many receipts the reader may run past the oldest one not yet acknowledged: what a crash can send twice while
     * an ESME keeps refusing one (temporarily) and takes the rest.
     */
    static final long MAX_AHEAD = 10_000;

    private record Pending(long index, Notification n, ServerSession session, long sentAt) {
    }

    private final String client;
    private final MessageStore store;
    private final SmppServer server;
    private final int window;
    private final Thread thread;
    private final smppgw.store.Unacknowledged unresolved = new smppgw.store.Unacknowledged();
    private final Map<Integer, Pending> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Pending> again = new ConcurrentLinkedQueue<>();
    private final Deque<Pending> ready = new ArrayDeque<>();
    /** Shared by the client's notifiers of every store (a sharded node's shards): their sequence numbers never meet. */
    private final AtomicInteger sequence;
    /** How long {@link #close} waits for the answers to deliver_sm in flight, so that they are not sent again by the next reader. */
    static final long DRAIN_MS = 3_000;
    /** When closing: the time (ms, nanoTime-based) by which it stops even with deliver_sm unanswered; 0 while running. */
    private volatile long stopBy;
    private int rr;

    SmppNotifier(String client, MessageStore store, SmppServer server, int window, AtomicInteger sequence) {
        this.client = client;
        this.sequence = sequence;
        this.store = store;
        this.server = server;
        this.window = window;
        this.thread = new Thread(this::run, "smppgw-smpp-notify-" + client);
    }

    SmppNotifier start() {
        thread.start();
        return this;
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    /** A response from one of the client's sessions. */
    void onResponse(PduResponse r) {
        if (!(r instanceof DeliverSmResp)) {
            return;
        }
        Pending p = inFlight.remove(r.getSequenceNumber());
        if (p == null) {
            return;
        }
        if (r.getCommandStatus() == 0) {
            unresolved.done(p.index());
        } else if (r.getCommandStatus() == SmppConstants.STATUS_X_P_APPN || r.getCommandStatus() == SmppConstants.STATUS_X_R_APPN) {
            // the ESME says it will never take this one (SMPP 3.4: permanent application error, or rejected): dropped, logged
            LOG.warn("[client:{}] deliver_sm for {} refused for good with {}; not sent again", client, p.n().id(),
                    smppgw.protocol.CommandStatus.describe(r.getCommandStatus()));
            unresolved.done(p.index());
        } else {
            LOG.info("[client:{}] deliver_sm for {} refused with {}; sending again", client, p.n().id(),
                    smppgw.protocol.CommandStatus.describe(r.getCommandStatus()));
            again.add(new Pending(p.index(), p.n(), null, System.nanoTime() / 1_000_000 + RETRY_MS));
        }
        wake();
    }

    private void run() {
        try (MessageStore.NotificationReader reader = store.openNotifications(client, "smpp")) {
            long lastCommit = 0;
            while (true) {
                long now = System.nanoTime() / 1_000_000;
                expire(now);
                if (stopBy != 0) { // closing: nothing more is sent; the answers to what is in flight are waited for a while
                    if (inFlight.isEmpty() || now >= stopBy) {
                        break;
                    }
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10));
                    continue;
                }
                for (Pending p; (p = again.peek()) != null && p.sentAt() <= now; ) {
                    ready.addFirst(again.poll());
                }
                if (ready.isEmpty() && inFlight.size() < window && !unresolved.tooFarAhead(MAX_AHEAD)) {
                    MessageStore.Indexed i = reader.next();
                    if (i != null) {
                        unresolved.read();
                        if (Receipts.wanted(i.notification())) {
                            unresolved.add(i.index());
                            ready.add(new Pending(i.index(), i.notification(), null, 0));
                        }
                        continue;
                    }
                }
                boolean sent = false;
                if (!ready.isEmpty() && inFlight.size() < window) {
                    sent = send(ready.peekFirst());
                    if (sent) {
                        ready.pollFirst();
                    }
                }
                if (now - lastCommit > 200) {
                    reader.commit(unresolved.commitPoint(reader.position()));
                    lastCommit = now;
                }
                if (!sent) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(ready.isEmpty() ? 50 : 10));
                }
            }
            reader.commit(unresolved.commitPoint(reader.position()));
        } catch (Throwable t) {
            LOG.error("[client:{}] receipt delivery stopped; pending receipts wait for the next start", client, t);
        }
    }

    private boolean send(Pending p) {
        List<ServerSession> receivers = server.receivers(client);
        if (receivers.isEmpty()) {
            return false;
        }
        ServerSession s = receivers.get(Math.floorMod(rr++, receivers.size()));
        DeliverSm d;
        try {
            d = p.n().kind().equals(Notification.MO) ? Receipts.mo(p.n()) : Receipts.receipt(p.n());
        } catch (Exception e) {
            LOG.error("[client:{}] cannot build deliver_sm for {}: {}", client, p.n().id(), e.toString());
            unresolved.done(p.index());
            return true;
        }
        int seq = sequence.incrementAndGet() & 0x7FFFFFFF;
        d.setSequenceNumber(seq);
        inFlight.put(seq, new Pending(p.index(), p.n(), s, System.nanoTime() / 1_000_000));
        s.send(d);
        return true;
    }

    /** Unanswered for too long, or their bind is gone: send again. */
    private void expire(long now) {
        for (Map.Entry<Integer, Pending> e : inFlight.entrySet()) {
            Pending p = e.getValue();
            boolean lost = !server.receivers(client).contains(p.session());
            if (lost || now - p.sentAt() > RESPONSE_TIMEOUT_MS) {
                if (inFlight.remove(e.getKey(), p)) {
                    again.add(new Pending(p.index(), p.n(), null, now + (lost ? 0 : RETRY_MS)));
                }
            }
        }
    }

    /** Begins {@link #close} without waiting (several notifiers drain at once). */
    void stopSending() {
        if (stopBy == 0) {
            stopBy = System.nanoTime() / 1_000_000 + DRAIN_MS;
        }
        wake();
    }

    /**
     * Stops: sends nothing more, waits up to {@link #DRAIN_MS} for the answers to what is in flight (a shard moving to another
     * node, a shutdown), then commits what was acknowledged; the rest is sent again by whoever reads this queue next.
     */
    @Override
    public void close() {
        stopSending();
        try {
            thread.join(DRAIN_MS + 5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
