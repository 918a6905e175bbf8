package smppgw.sim;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerConfiguration;
import com.cloudhopper.smpp.SmppServerHandler;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppServer;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppProcessingException;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import smppgw.config.SimulatorConfig;
import smppgw.smpp.AsyncRequests;
import smppgw.smpp.SmppClientPool;

/**
 * An SMSC for tests, benchmarks and the default configuration: a real SMPP server (cloudhopper) that
 * answers submit_sm with an id in hex or decimal, sends a receipt after a delay with a scripted outcome per
 * destination suffix, optionally with receipt TLVs, throttles above a TPS, drops binds on a schedule and
 * answers submits with MO replies. Receipts owed to a system id wait until one of its receivers binds.
 */
public final class SmscSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);

    final SimulatorConfig config;
    final SimStats stats = new SimStats();
    final DelayQueue<Outbound> outbound = new DelayQueue<>();
    final Map<Long, SmppServerSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(System.currentTimeMillis() * 1000);
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final NioEventLoopGroup boss;
    private final NioEventLoopGroup workers;
    private final ScheduledThreadPoolExecutor timers;
    private final DefaultSmppServer server;
    private final Thread sender;
    final Throttle throttle;
    private volatile boolean running;

    public SmscSimulator(SimulatorConfig config) {
        this.config = config;
        this.throttle = new Throttle(config.throttleTps());
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("smppgw-sim-boss", true));
        workers = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("smppgw-sim-io", true));
        timers = SmppClientPool.timers("smppgw-sim-timer", 1);
        SmppServerConfiguration sc = new SmppServerConfiguration();
        sc.setName("smppgw-sim");
        sc.setHost(config.listen().host());
        sc.setPort(config.listen().port());
        sc.setMaxConnectionSize(200);
        sc.setNonBlockingSocketsEnabled(true);
        sc.setReuseAddress(true);
        sc.setJmxEnabled(false);
        sc.setBindTimeout(5000);
        sc.setDefaultWindowSize(config.window());
        sc.setDefaultWindowWaitTimeout(1000);
        sc.setDefaultRequestExpiryTimeout(30_000);
        sc.setDefaultWindowMonitorInterval(5_000);
        sc.setDefaultSessionCountersEnabled(false);
        server = new DefaultSmppServer(sc, new BindHandler(), timers, boss, workers);
        sender = new Thread(this::sendLoop, "smppgw-sim-sender");
        sender.setDaemon(true);
    }

    public SmscSimulator start() throws SmppChannelException {
        running = true;
        server.start();
        sender.start();
        long drop = config.dropBindsEvery().toMillis();
        if (drop > 0) {
            timers.scheduleWithFixedDelay(this::dropBinds, drop, drop, TimeUnit.MILLISECONDS);
        }
        LOG.info("SMSC simulator listening on {} (system-id {}, ids {}, receipts after {} ms)", config.listen(),
                config.systemId(), config.idFormat(), config.receiptDelay().toMillis());
        return this;
    }

    /** {@link #start()} for callers that treat a failure to listen as fatal. */
    public SmscSimulator startUnchecked() {
        try {
            return start();
        } catch (SmppChannelException e) {
            throw new IllegalStateException("simulator cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
    }

    public SimStats stats() {
        return stats;
    }

    /** Receipts and MOs not yet acknowledged by the gateway. */
    public int owed() {
        return outbound.size();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Closes every bind's connection abruptly (no unbind), as a network failure would. */
    public void dropBinds() {
        for (SmppServerSession s : sessions.values()) {
            stats.bindsDropped.incrementAndGet();
            s.close();
        }
    }

    String nextId() {
        return String.valueOf(nextId.incrementAndGet());
    }

    static String format(String numericId, SimulatorConfig.IdFormat f) {
        long v = Long.parseLong(numericId);
        return f == SimulatorConfig.IdFormat.HEX ? Long.toHexString(v) : String.format("%020d", v);
    }

    private void sendLoop() {
        while (running) {
            Outbound o;
            try {
                o = outbound.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (o == null) {
                continue;
            }
            SmppServerSession s = receiverFor(o.systemId);
            if (s == null) {
                outbound.add(o.retryAt(System.currentTimeMillis() + 100));
                continue;
            }
            try {
                com.cloudhopper.smpp.pdu.DeliverSm pdu = o.toPdu(config.receiptTlvs());
                pdu.setReferenceObject(o);
                AsyncRequests.Sent sent = AsyncRequests.send(s, pdu, 30_000, () -> outbound.add(o.retryAt(System.currentTimeMillis() + 100)));
                if (sent == AsyncRequests.Sent.NO_WINDOW) {
                    outbound.add(o.retryAt(System.currentTimeMillis() + 1));
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // window full: let acknowledgements come in
                }
            } catch (Exception e) {
                outbound.add(o.retryAt(System.currentTimeMillis() + 100));
            }
        }
    }

    private SmppServerSession receiverFor(String systemId) {
        List<SmppServerSession> candidates = sessions.values().stream()
                .filter(s -> s.isBound() && s.getBindType() != SmppBindType.TRANSMITTER
                        && s.getConfiguration().getSystemId().equals(systemId))
                .toList();
        if (candidates.isEmpty()) {
            return null;
        }
        return candidates.get(Math.floorMod(roundRobin.getAndIncrement(), candidates.size()));
    }

    private final class BindHandler implements SmppServerHandler {
        @Override
        public void sessionBindRequested(Long id, SmppSessionConfiguration c, BaseBind bind) throws SmppProcessingException {
            if (!config.systemId().equals(bind.getSystemId())) {
                stats.bindsRejected.incrementAndGet();
                throw new SmppProcessingException(SmppConstants.STATUS_INVSYSID);
            }
            if (!config.password().equals(bind.getPassword())) {
                stats.bindsRejected.incrementAndGet();
                throw new SmppProcessingException(SmppConstants.STATUS_INVPASWD);
            }
            c.setName("sim." + bind.getSystemId() + "." + id);
        }

        @Override
        public void sessionCreated(Long id, SmppServerSession session, BaseBindResp resp) {
            stats.bindsAccepted.incrementAndGet();
            sessions.put(id, session);
            session.serverReady(new SimSession(SmscSimulator.this, session));
        }

        @Override
        public void sessionDestroyed(Long id, SmppServerSession session) {
            sessions.remove(id);
            SimSession.requeueInFlight(SmscSimulator.this, session);
            session.destroy();
        }
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        try {
            sender.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        timers.shutdownNow();
        // destroy() shuts the event loops down with Netty's 2 s quiet period: do it first without one
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        server.destroy();
    }
}
