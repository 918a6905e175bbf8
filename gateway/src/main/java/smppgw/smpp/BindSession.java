package smppgw.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
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

    final String operator;
    final String name;
    volatile BindConfig config;
    private final SmppBindType type;
    private final DefaultSmppClient client;
    /** TLS to the SMSC, or null for plain TCP. */
    private final smppgw.tls.TlsContexts.Endpoint tls;
    final ScheduledExecutorService scheduler;
    final InboundListener inbound;
    final Runnable onCapacity;
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicInteger bindFailures = new AtomicInteger();
    volatile SmppSession session;
    volatile long lastReceived;
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
    volatile long suspectSince;
    /** When the last enquire_link went out (keepalive or liveness check). */
    volatile long enquireSentAt;
    /**
     * Submits of the current session that expired unanswered, by sequence number: their outcome is unknown, and a
     * submit_sm_resp that still comes for one says what it was. Kept {@link #lateFor} long; cleared with the session.
     */
    final java.util.concurrent.ConcurrentHashMap<Integer, Expired> expired = new java.util.concurrent.ConcurrentHashMap<>();

    record Expired(Once callback, long at) {
    }

    BindSession(String operator, String name, BindConfig config, SmppBindType type, DefaultSmppClient client,
                ScheduledExecutorService scheduler, InboundListener inbound, Runnable onCapacity, smppgw.tls.TlsContexts.Endpoint tls) {
        this.operator = operator;
        this.tls = tls;
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

    /** Whether this is a bind to another node's {@link NodeLink} rather than to an SMSC. */
    public boolean isLink() {
        return NodeLink.SYSTEM_TYPE.equals(config.systemType());
    }

    /** Monotonic milliseconds, for liveness: when the SMSC was last heard from, when a submit expired. */
    public static long now() {
        return System.nanoTime() / 1_000_000;
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
    /** Bind attempts that failed (connection refused, TLS handshake, bind refused, no answer). */
    public int bindFailures() {
        return bindFailures.get();
    }

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

    /** Sends a query_sm; false if this bind cannot take it now (the answer is then never called). */
    public boolean query(com.cloudhopper.smpp.pdu.QuerySm pdu, QueryAnswer answer) {
        SmppSession s = session;
        if (s == null || retiring || suspectSince != 0 || !canTransmit()) {
            return false;
        }
        pdu.setReferenceObject(answer);
        AsyncRequests.Sent sent = AsyncRequests.send(s, pdu, config.responseTimeout().toMillis(), () -> {
            answer.answered(null, name);
            scheduler.execute(() -> closed(s, CloseReason.IO_ERROR));
        });
        return sent == AsyncRequests.Sent.QUEUED;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        SmppSessionConfiguration c = tls == null
                ? new SmppSessionConfiguration(type, config.systemId(), config.password(), config.systemType())
                : new TlsSmppClient.TlsSessionConfiguration(type, config.systemId(), config.password(), config.systemType(), tls);
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
            SmppSession s = client.bind(c, new BindHandler(this));
            if (stopped) {
                s.unbind(1000);
                s.destroy();
                return;
            }
            expired.clear();
            suspectSince = 0;
            session = s;
            lastReceived = now();
            backoffMs = config.reconnectMin().toMillis();
            binds.incrementAndGet();
            long every = Math.max(50, config.enquireLinkInterval().toMillis() / 2);
            keepalive = scheduler.scheduleWithFixedDelay(() -> keepalive(s), every, every, TimeUnit.MILLISECONDS);
            LOG.info("[op:{}] [bind:{}] bound to {}:{}{} as {} (window {})", operator, name, config.host(), config.port(),
                    tls == null ? "" : " over TLS", type, config.window());
            onCapacity.run();
        } catch (Exception e) {
            lastClose = CloseReason.BIND_FAILED;
            bindFailures.incrementAndGet();
            String hint = tls != null && config.tls().cert() == null && String.valueOf(e.getMessage()).contains("closed")
                    ? " (over TLS 1.3 an SMSC that wants a client certificate closes the connection like this: see tls.cert and tls.key)"
                    : "";
            LOG.warn("[op:{}] [bind:{}] bind to {}:{} failed: {}{}; retrying in {} ms", operator, name, config.host(),
                    config.port(), e.getMessage(), hint, backoffMs);
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
        long now = now();
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
    void enquire(SmppSession s) {
        if (enquireSentAt > lastReceived && now() - enquireSentAt < config.responseTimeout().toMillis()) {
            return; // one is out, and nothing came since it went
        }
        enquireSentAt = now();
        AsyncRequests.Sent sent = AsyncRequests.send(s, new EnquireLink(), config.responseTimeout().toMillis(),
                () -> scheduler.execute(() -> closed(s, CloseReason.IO_ERROR)));
        if (sent != AsyncRequests.Sent.QUEUED) {
            LOG.debug("[op:{}] [bind:{}] enquire_link not sent now ({}): window full", operator, name, sent);
        }
    }

    /** Anything from the SMSC: the bind is alive. */
    void heard() {
        lastReceived = now();
        suspectSince = 0;
    }

    /** Ends this session once: in-flight submits are reported lost, then a rebind is scheduled. */
    void closed(SmppSession s, CloseReason reason) {
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
            } else if (f.getRequest().getReferenceObject() instanceof QueryAnswer qa) {
                qa.answered(null, name);
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

}
