package smppgw.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.BindConfig;
import smppgw.rate.TokenBucket;

/**
 * One SMPP bind to an SMSC, kept up for the life of the gateway: bind, enquire_link when idle, expire
 * requests that get no response, and rebind with exponential back-off after any loss. Every submit that
 * was in the window when a bind is lost is reported through its callback, never forgotten.
 */
public final class BindSession {
    private static final Logger LOG = LoggerFactory.getLogger(BindSession.class);
    private static final long WRITE_TIMEOUT_MS = 5_000;

    private final String operator;
    private final String name;
    private volatile BindConfig config;
    private final SmppBindType type;
    private final DefaultSmppClient client;
    private final ScheduledExecutorService scheduler;
    private final InboundListener inbound;
    private final Runnable onCapacity;
    private final AtomicInteger binds = new AtomicInteger();
    private volatile SmppSession session;
    private volatile long lastReceived;
    private volatile boolean stopped;
    private volatile CloseReason lastClose;
    private ScheduledFuture<?> keepalive;
    private long backoffMs;
    /** {@code binds[].tps}: this bind's own limit, or null. Taken from by the dispatcher thread only; replaced on reload. */
    private volatile TokenBucket bucket;
    /** Set when a reload removes this bind: it takes no new submits while its window empties, then unbinds. */
    private volatile boolean retiring;
    /**
     * When a submit last expired unanswered with nothing heard from the SMSC since (0: not so): the bind is suspect and
     * takes no new submits until the SMSC shows it is alive (any PDU, such as the answer to the enquire_link sent at once).
     */
    private volatile long suspectSince;
    /** When the last enquire_link went out (keepalive or liveness check). */
    private volatile long enquireSentAt;
    /**
     * Submits of the current session that expired unanswered, by sequence number: their outcome is unknown, and a
     * submit_sm_resp that still comes for one says what it was. Kept {@link #lateFor} long; cleared with the session.
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer, Expired> expired = new java.util.concurrent.ConcurrentHashMap<>();

    private record Expired(Once callback, long at) {
    }

    BindSession(String operator, String name, BindConfig config, SmppBindType type, DefaultSmppClient client,
                ScheduledExecutorService scheduler, InboundListener inbound, Runnable onCapacity) {
        this.operator = operator;
        this.name = name;
        this.config = config;
        this.type = type;
        this.client = client;
        this.scheduler = scheduler;
        this.inbound = inbound;
        this.onCapacity = onCapacity;
        this.backoffMs = config.reconnectMin().toMillis();
        this.bucket = config.tps() > 0 ? new TokenBucket(config.tps(), TokenBucket.capacityFor(config.tps()), System.nanoTime()) : null;
    }

    public String name() {
        return name;
    }

    public boolean isBound() {
        SmppSession s = session;
        return s != null && s.isBound();
    }

    SmppBindType type() {
        return type;
    }

    public boolean canTransmit() {
        return type != SmppBindType.RECEIVER;
    }

    /** Free window slots, 0 when not bound or suspect (a submit expired and the SMSC has not been heard from since). */
    public int freeWindow() {
        SmppSession s = session;
        return s == null || !s.isBound() || suspectSince != 0 ? 0 : s.getSendWindow().getFreeSize();
    }

    /** Whether anything came from the SMSC on this bind after {@code millis} (a bind made after it counts). */
    public boolean heardSince(long millis) {
        return isBound() && suspectSince == 0 && lastReceived > millis;
    }

    /** Submits that expired on this bind and may still be answered. */
    public int expiredAwaitingAnswer() {
        return expired.size();
    }

    public int windowInUse() {
        SmppSession s = session;
        return s == null ? 0 : s.getSendWindow().getSize();
    }

    /** How many times this bind has been established. */
    public int bindCount() {
        return binds.get();
    }

    public CloseReason lastClose() {
        return lastClose;
    }

    void start() {
        scheduler.execute(this::connect);
    }

    /**
     * Sends a submit_sm without waiting for its response or its write. False when it could not be sent
     * (not bound, window full): the callback is then not called and the caller keeps the message.
     */
    public boolean submit(SubmitSm pdu, SubmitCallback callback) {
        SmppSession s = session;
        TokenBucket bucket = this.bucket;
        if (s == null || retiring || suspectSince != 0 || !canTransmit() || (bucket != null && !bucket.tryAcquire(System.nanoTime()))) {
            return false;
        }
        Once cb = new Once(callback);
        pdu.setReferenceObject(cb);
        AsyncRequests.Sent sent = AsyncRequests.send(s, pdu, config.responseTimeout().toMillis(), () -> {
            cb.onNoResponse("write failed", name);
            scheduler.execute(() -> closed(s, CloseReason.IO_ERROR));
        });
        if (sent == AsyncRequests.Sent.UNENCODABLE) {
            cb.onResponse(SmppConstants.STATUS_INVMSGLEN, null, name); // cannot be encoded: permanent
        } else if (sent == AsyncRequests.Sent.NO_WINDOW && bucket != null) {
            bucket.refund();
        }
        return sent != AsyncRequests.Sent.NO_WINDOW;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        SmppSessionConfiguration c = new SmppSessionConfiguration(type, config.systemId(), config.password(), config.systemType());
        c.setName(name);
        c.setHost(config.host());
        c.setPort(config.port());
        c.setWindowSize(config.window());
        c.setConnectTimeout(config.bindTimeout().toMillis());
        c.setBindTimeout(config.bindTimeout().toMillis());
        c.setRequestExpiryTimeout(config.responseTimeout().toMillis());
        c.setWindowMonitorInterval(Math.max(50, Math.min(1000, config.responseTimeout().toMillis() / 4)));
        c.setWriteTimeout(WRITE_TIMEOUT_MS);
        c.setCountersEnabled(false);
        c.getLoggingOptions().setLogBytes(false);
        c.getLoggingOptions().setLogPdu(false);
        try {
            SmppSession s = client.bind(c, new Handler());
            if (stopped) {
                s.unbind(1000);
                s.destroy();
                return;
            }
            expired.clear();
            suspectSince = 0;
            session = s;
            lastReceived = System.currentTimeMillis();
            backoffMs = config.reconnectMin().toMillis();
            binds.incrementAndGet();
            long every = Math.max(50, config.enquireLinkInterval().toMillis() / 2);
            keepalive = scheduler.scheduleWithFixedDelay(() -> keepalive(s), every, every, TimeUnit.MILLISECONDS);
            LOG.info("[op:{}] [bind:{}] bound to {}:{} as {} (window {})", operator, name, config.host(), config.port(),
                    type, config.window());
            onCapacity.run();
        } catch (Exception e) {
            lastClose = CloseReason.BIND_FAILED;
            LOG.warn("[op:{}] [bind:{}] bind to {}:{} failed: {}; retrying in {} ms", operator, name, config.host(),
                    config.port(), e.getMessage(), backoffMs);
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (stopped) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(config.reconnectMax().toMillis(), backoffMs * 2);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void keepalive(SmppSession s) {
        if (s != session || !s.isBound()) {
            return;
        }
        long now = System.currentTimeMillis();
        expired.values().removeIf(e -> now - e.at() > lateFor());
        if (now - lastReceived < config.enquireLinkInterval().toMillis()) {
            return;
        }
        enquire(s);
    }

    /** How long an expired submit's answer is still taken: long enough for an SMSC that is slow or was frozen for a while. */
    private long lateFor() {
        return Math.max(60_000, 10 * config.responseTimeout().toMillis());
    }

    /** Sends an enquire_link unless one is already waiting for its answer. */
    private void enquire(SmppSession s) {
        if (enquireSentAt > lastReceived && System.currentTimeMillis() - enquireSentAt < config.responseTimeout().toMillis()) {
            return; // one is out, and nothing came since it went
        }
        enquireSentAt = System.currentTimeMillis();
        AsyncRequests.Sent sent = AsyncRequests.send(s, new EnquireLink(), config.responseTimeout().toMillis(),
                () -> scheduler.execute(() -> closed(s, CloseReason.IO_ERROR)));
        if (sent != AsyncRequests.Sent.QUEUED) {
            LOG.debug("[op:{}] [bind:{}] enquire_link not sent now ({}): window full", operator, name, sent);
        }
    }

    /** Anything from the SMSC: the bind is alive. */
    private void heard() {
        lastReceived = System.currentTimeMillis();
        suspectSince = 0;
    }

    /** Ends this session once: in-flight submits are reported lost, then a rebind is scheduled. */
    private void closed(SmppSession s, CloseReason reason) {
        synchronized (this) {
            if (s != session) {
                return;
            }
            session = null;
            if (keepalive != null) {
                keepalive.cancel(false);
            }
        }
        lastClose = reason;
        expired.clear(); // no answer can come on a closed connection
        suspectSince = 0;
        if (!stopped) {
            LOG.warn("[op:{}] [bind:{}] bind lost ({}); rebinding", operator, name, reason);
        }
        List<WindowFuture<Integer, PduRequest, PduResponse>> pending = s.getSendWindow().cancelAll();
        for (WindowFuture<Integer, PduRequest, PduResponse> f : pending == null ? List.<WindowFuture<Integer, PduRequest, PduResponse>>of() : pending) {
            if (f.getRequest().getReferenceObject() instanceof Once cb) {
                cb.onNoResponse("bind lost (" + reason + ")", name);
            }
        }
        scheduler.execute(() -> {
            s.close();
            s.destroy();
        });
        if (!stopped) {
            scheduleReconnect();
        }
    }

    /** This bind's configuration (account, window, timers, tps). */
    BindConfig config() {
        return config;
    }

    /** A reloaded entry for the same account ({@link BindConfig#account}), differing at most in count and tps; the bind stays up. */
    void update(BindConfig c) {
        config = c;
        int tps = c.tps();
        TokenBucket b = bucket;
        if (tps <= 0) {
            bucket = null;
        } else if (b == null || b.rate() != tps) {
            bucket = new TokenBucket(tps, TokenBucket.capacityFor(tps), System.nanoTime());
        }
    }

    /**
     * Removed by a reload: takes no new submits, waits up to {@code maxWaitMs} for the submits in its window to be
     * answered (so none are sent twice), then unbinds and stops.
     */
    void retire(long maxWaitMs) throws InterruptedException {
        retiring = true;
        long deadline = System.nanoTime() + maxWaitMs * 1_000_000;
        while (windowInUse() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // polls the window; cloudhopper has no "window empty" notification
        }
        stop(Math.min(2000, maxWaitMs));
    }

    /** Unbinds (waiting up to {@code timeoutMs}) and stops reconnecting. In-flight submits are reported lost. */
    void stop(long timeoutMs) {
        stopped = true;
        SmppSession s = session;
        if (s != null) {
            if (s.isBound()) {
                s.unbind(timeoutMs);
            }
            closed(s, CloseReason.EXPLICIT);
        }
    }

    private final class Handler extends DefaultSmppSessionHandler {
        Handler() {
            super(LOG);
        }

        private SmppSession current() {
            return session;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest req) {
            heard();
            if (req instanceof DeliverSm || req instanceof DataSm) {
                SmppSession s = current();
                BaseSm<?> sm = (BaseSm<?>) req;
                PduResponse resp = req.createResponse();
                Inbound.handle(operator, name, sm, inbound).whenComplete((ok, err) -> {
                    if (err != null) {
                        resp.setCommandStatus(SmppConstants.STATUS_X_T_APPN);
                    }
                    Responses.send(s, resp);
                });
                return null;
            }
            SmppSession s = current();
            Responses.send(s, req.createResponse()); // never returned: cloudhopper would block the I/O thread on the write
            if (req instanceof Unbind) {
                scheduler.execute(() -> closed(s, CloseReason.UNBIND_RECEIVED));
            }
            return null;
        }

        @Override
        public void fireExpectedPduResponseReceived(PduAsyncResponse r) {
            heard();
            PduRequest<?> req = r.getRequest();
            if (req.getReferenceObject() instanceof Once cb) {
                PduResponse resp = r.getResponse();
                String id = resp instanceof SubmitSmResp ssr ? ssr.getMessageId() : null;
                cb.onResponse(resp.getCommandStatus(), id, name);
                onCapacity.run();
            }
        }

        /** The answer to a request that had expired: for a submit, what really happened to it. */
        @Override
        public void fireUnexpectedPduResponseReceived(PduResponse resp) {
            Expired e = expired.remove(resp.getSequenceNumber());
            heard();
            if (e != null && resp instanceof SubmitSmResp ssr) {
                e.callback().late(resp.getCommandStatus(), ssr.getMessageId(), name);
            } else {
                LOG.debug("[op:{}] [bind:{}] unexpected {} (sequence {})", operator, name, resp.getName(), resp.getSequenceNumber());
            }
            onCapacity.run();
        }

        /**
         * A submit unanswered in time: its outcome is unknown (it is kept for a late answer) and the bind is suspect
         * until the SMSC is heard from; an enquire_link asks at once. An enquire_link unanswered with nothing else
         * heard since it went: the connection is dead.
         */
        @Override
        public void firePduRequestExpired(PduRequest req) {
            SmppSession s = current();
            if (req instanceof EnquireLink) {
                if (s != null && lastReceived < enquireSentAt) {
                    scheduler.execute(() -> closed(s, CloseReason.ENQUIRE_LINK_TIMEOUT));
                }
            } else if (req.getReferenceObject() instanceof Once cb) {
                long now = System.currentTimeMillis();
                if (s != null) {
                    expired.put(req.getSequenceNumber(), new Expired(cb, now));
                    if (suspectSince == 0) {
                        suspectSince = now;
                    }
                    scheduler.execute(() -> enquire(s));
                }
                cb.onNoResponse("no response within " + config.responseTimeout().toMillis() + " ms", name);
                onCapacity.run();
            }
        }

        @Override
        public void fireChannelUnexpectedlyClosed() {
            SmppSession s = current();
            if (s != null) {
                scheduler.execute(() -> closed(s, CloseReason.IO_ERROR));
            }
        }

        @Override
        public void fireUnrecoverablePduException(com.cloudhopper.smpp.type.UnrecoverablePduException e) {
            LOG.warn("[op:{}] [bind:{}] undecodable PDU, closing: {}", operator, name, e.getMessage());
            SmppSession s = current();
            if (s != null) {
                scheduler.execute(() -> closed(s, CloseReason.PROTOCOL_ERROR));
            }
        }

        @Override
        public void fireUnknownThrowable(Throwable t) {
            if (t instanceof java.io.IOException) {
                LOG.debug("[op:{}] [bind:{}] I/O: {}", operator, name, t.toString());
            } else {
                LOG.warn("[op:{}] [bind:{}] unexpected error", operator, name, t);
            }
        }

        @Override
        public void fireRecoverablePduException(com.cloudhopper.smpp.type.RecoverablePduException e) {
            LOG.warn("[op:{}] [bind:{}] malformed PDU: {}", operator, name, e.getMessage());
        }
    }

    /** Guarantees one outcome per submit, whichever of response, expiry or bind loss comes first. */
    private static final class Once implements SubmitCallback {
        private final SubmitCallback delegate;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

        Once(SubmitCallback delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onResponse(int commandStatus, String smscId, String bind) {
            if (done.compareAndSet(false, true)) {
                delegate.onResponse(commandStatus, smscId, bind);
            }
        }

        @Override
        public void onNoResponse(String reason, String bind) {
            if (done.compareAndSet(false, true)) {
                delegate.onNoResponse(reason, bind);
            }
        }

        private final java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();

        void late(int commandStatus, String smscId, String bind) {
            if (late.compareAndSet(false, true)) {
                delegate.onLateResponse(commandStatus, smscId, bind);
            }
        }
    }
}
