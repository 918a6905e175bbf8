package smppgw.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.QuerySm;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.config.HostPort;

/**
 * The listening side of the node link of a sharded group (docs/cluster.md, step 3b): the other nodes of the group bind here
 * as ESMEs do to an SMSC — system_id the operator, system_type {@value #SYSTEM_TYPE}, the group's link password — and each
 * submit_sm they send goes out on one of this node's own binds of that operator, its submit_sm_resp (the SMSC's status and
 * id) back to them. So a core whose operator has no bind on its node sends over the node that holds one, and the node's
 * bind rate (its share of the operator's {@code tps}) limits what both send. The receipts come in on this node's bind and
 * go to their shard as any receipt does.
 *
 * <p>A submit no bind here can take at once waits, in order of arrival, until one can; one that has waited
 * {@link #MAX_WAIT_MS} is answered ESME_RTHROTTLED (not sent: the other node's dispatcher slows down and sends it again). A
 * submit the SMSC does not answer in time is not answered here either: the other node's request expires as it would at the
 * SMSC (its outcome unknown), and the SMSC's late answer, if any, is passed on when it comes. A relayed submit never goes
 * over a link again.
 */
public final class NodeLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLink.class);
    /** The system_type of a node's bind to another node's link. */
    public static final String SYSTEM_TYPE = "smppgw-link";
    /** How long a relayed submit may wait for a bind here before it is answered ESME_RTHROTTLED. */
    public static final long MAX_WAIT_MS = 1_000;
    /** How much longer than the SMSC's the other node's wait for an answer over the link is (the wait here, and the hop). */
    public static final long EXTRA_RESPONSE_TIMEOUT_MS = MAX_WAIT_MS + 1_000;

    private final SmppClientPool pool;
    private final byte[] password;
    private final HostPort listen;
    private final NioEventLoopGroup boss;
    private final NioEventLoopGroup workers;
    private final ScheduledThreadPoolExecutor relay;
    private final DefaultSmppServer server;
    private final Map<String, ArrayDeque<Waiting>> waiting = new ConcurrentHashMap<>();
    private final AtomicBoolean drainDue = new AtomicBoolean();
    private final java.util.List<AutoCloseable> listeners = new java.util.ArrayList<>();
    /** Relayed submits answered by the SMSC (any status). */
    public final AtomicLong relayed = new AtomicLong();
    /** Relayed submits answered ESME_RTHROTTLED here: no bind could take them within {@link #MAX_WAIT_MS}. */
    public final AtomicLong throttled = new AtomicLong();
    /** Relayed submits the SMSC did not answer in time (left unanswered: the other node's request expires too). */
    public final AtomicLong unanswered = new AtomicLong();
    /** Binds refused (wrong password, unknown operator, not a node's system_type). */
    public final AtomicLong bindsRefused = new AtomicLong();

    private record Waiting(SmppServerSession session, SubmitSm submit, SubmitSmResp resp, long since) {
    }

    public NodeLink(HostPort listen, String password, SmppClientPool pool) {
        this.pool = pool;
        this.listen = listen;
        this.password = password.getBytes(StandardCharsets.UTF_8);
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("smppgw-link-boss", true));
        this.workers = new NioEventLoopGroup(2, new DefaultThreadFactory("smppgw-link-io", true));
        this.relay = SmppClientPool.timers("smppgw-link-relay", 1);
        SmppServerConfiguration sc = new SmppServerConfiguration();
        sc.setName("smppgw-link");
        sc.setHost(listen.host());
        sc.setPort(listen.port());
        sc.setMaxConnectionSize(1_000);
        sc.setNonBlockingSocketsEnabled(true);
        sc.setReuseAddress(true);
        sc.setJmxEnabled(false);
        sc.setBindTimeout(5_000);
        sc.setDefaultWindowSize(10); // what this side sends: nothing but responses
        sc.setDefaultRequestExpiryTimeout(30_000);
        sc.setDefaultWindowMonitorInterval(5_000);
        sc.setDefaultSessionCountersEnabled(false);
        this.server = new DefaultSmppServer(sc, new Binds(), relay, boss, workers);
    }

    /** Listens; every operator's binds here tell it when they can take more. */
    public NodeLink start() {
        for (OperatorBinds b : pool.all().values()) {
            listeners.add(b.onCapacity(this::drainSoon));
        }
        try {
            server.start();
        } catch (SmppChannelException e) {
            close();
            throw new IllegalStateException("the node link cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        LOG.info("node link listening on {}", listen);
        return this;
    }

    private final class Binds implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long id, SmppSessionConfiguration c, BaseBind bind) throws SmppProcessingException {
            if (!SYSTEM_TYPE.equals(bind.getSystemType())) {
                refuse(bind, "not a node of the group (system_type " + bind.getSystemType() + ")", SmppConstants.STATUS_INVSYSTYP);
            }
            if (bind.getPassword() == null
                    || !java.security.MessageDigest.isEqual(password, bind.getPassword().getBytes(StandardCharsets.UTF_8))) {
                refuse(bind, "wrong password (cluster.link.password differs)", SmppConstants.STATUS_INVPASWD);
            }
            if (pool.binds(bind.getSystemId()) == null) {
                refuse(bind, "no operator of that name here", SmppConstants.STATUS_INVSYSID);
            }
            c.setName("link." + bind.getSystemId() + "." + id);
        }

        private void refuse(BaseBind bind, String why, int status) throws SmppProcessingException {
            bindsRefused.incrementAndGet();
            LOG.warn("node link: bind for operator {} refused: {}", bind.getSystemId(), why);
            throw new SmppProcessingException(status);
        }

        @Override
        public void sessionCreated(Long id, SmppServerSession session, BaseBindResp resp) {
            LOG.info("node link: {} bound from {}", session.getConfiguration().getName(), session.getConfiguration().getHost());
            session.serverReady(new Relay(session));
        }

        @Override
        public void sessionDestroyed(Long id, SmppServerSession session) {
            session.destroy();
        }
    }

    /** One other node's bind for one operator. */
    private final class Relay extends DefaultSmppSessionHandler {
        private final SmppServerSession session;
        private final String operator;

        Relay(SmppServerSession session) {
            super(LOG);
            this.session = session;
            this.operator = session.getConfiguration().getSystemId();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public PduResponse firePduRequestReceived(PduRequest req) {
            if (req instanceof SubmitSm sm) {
                SubmitSmResp resp = sm.createResponse(); // the link's sequence number; the bind here gives the submit its own
                synchronized (waiting) {
                    waiting.computeIfAbsent(operator, k -> new ArrayDeque<>()).add(new Waiting(session, sm, resp, System.nanoTime()));
                }
                drainSoon();
            } else if (req instanceof QuerySm q) {
                query(q);
            } else {
                Responses.send(session, req.createResponse());
            }
            return null;
        }

        private void query(QuerySm q) {
            int seq = q.getSequenceNumber();
            com.cloudhopper.smpp.pdu.QuerySmResp failed = q.createResponse();
            boolean sent = pool.binds(operator).queryHere(q, (answer, bind) -> {
                if (answer != null) {
                    answer.setSequenceNumber(seq);
                    Responses.send(session, answer);
                }
            });
            if (!sent) {
                failed.setCommandStatus(SmppConstants.STATUS_QUERYFAIL);
                Responses.send(session, failed);
            }
        }
    }

    private void drainSoon() {
        if (drainDue.compareAndSet(false, true)) {
            try {
                relay.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainDue.set(false); // closed
            }
        }
    }

    /** On the relay thread: each operator's waiting submits onto its binds here, in order; too old ones answered throttled. */
    private void drain() {
        drainDue.set(false);
        boolean left = false;
        long now = System.nanoTime();
        for (Map.Entry<String, ArrayDeque<Waiting>> e : waiting.entrySet()) {
            OperatorBinds binds = pool.binds(e.getKey());
            while (true) {
                Waiting w;
                synchronized (waiting) {
                    w = e.getValue().peek();
                }
                if (w == null) {
                    break;
                }
                if (now - w.since > TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS)) {
                    throttled.incrementAndGet();
                    w.resp.setCommandStatus(SmppConstants.STATUS_THROTTLED);
                    Responses.send(w.session, w.resp);
                } else if (!w.session.isBound()) {
                    LOG.debug("node link: a submit from {} dropped, its bind is gone (the other node sends it again)", w.session.getConfiguration().getName());
                } else if (!binds.submitHere(w.submit, answer(w))) {
                    left = true;
                    break;
                }
                synchronized (waiting) {
                    e.getValue().poll();
                }
            }
        }
        if (left) { // a bind's rate, rather than its window, may be what holds them: look again shortly
            relay.schedule(this::drainSoon, 5, TimeUnit.MILLISECONDS);
        }
    }

    private SubmitCallback answer(Waiting w) {
        return new SubmitCallback() {
            @Override
            public void onResponse(int commandStatus, String smscId, String bind) {
                relayed.incrementAndGet();
                w.resp.setCommandStatus(commandStatus);
                if (smscId != null) {
                    w.resp.setMessageId(smscId);
                }
                Responses.send(w.session, w.resp);
            }

            @Override
            public void onNoResponse(String reason, String bind) {
                unanswered.incrementAndGet(); // the other node's request expires as well: its outcome is unknown there too
            }

            @Override
            public void onLateResponse(int commandStatus, String smscId, String bind) {
                onResponse(commandStatus, smscId, bind); // the other node takes it as the late answer it is
            }
        };
    }

    /** Submits waiting for a bind here. */
    public int waiting() {
        synchronized (waiting) {
            return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable l : listeners) {
            try {
                l.close();
            } catch (Exception ignored) {
                // a listener's removal cannot fail
            }
        }
        server.stop();
        relay.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        server.destroy();
    }
}
