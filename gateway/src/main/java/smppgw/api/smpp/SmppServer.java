package smppgw.api.smpp;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import smppgw.config.ClientConfig;
import smppgw.config.GatewayConfig;
import smppgw.intake.Clients;

/**
 * The SMPP port integrators bind to as they would to a carrier (Kannel, Jasmin, their own ESME). PDUs are
 * cloudhopper's; the session logic is {@link ServerSession}.
 */
public final class SmppServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppServer.class);

    /** What happened on the port, for health and metrics. */
    public static final class Counters {
        public final AtomicLong accepted = new AtomicLong();
        public final AtomicLong refused = new AtomicLong();
        public final AtomicLong malformed = new AtomicLong();
        public final AtomicLong bindsRefused = new AtomicLong();
    }

    private final GatewayConfig.SmppServerConfig config;
    private final Submitter submitter;
    private final java.time.Clock clock;
    private final Clients clients;
    private final PduTranscoder transcoder = new DefaultPduTranscoder(new DefaultPduTranscoderContext());
    private final Counters counters = new Counters();
    private final Map<String, List<ServerSession>> bound = new ConcurrentHashMap<>();
    private volatile BiConsumer<ServerSession, PduResponse> responses = (s, r) -> { };
    private volatile java.util.function.Consumer<String> onBind = c -> { };
    private io.netty.channel.EventLoopGroup boss;
    private io.netty.channel.EventLoopGroup workers;
    private Channel channel;

    /** The notifiers of each store notified from (a gateway's one; a sharded node's, one per shard it runs), by client. */
    private final Map<String, Map<String, SmppNotifier>> notifiers = new ConcurrentHashMap<>();
    /** Per client, the sequence numbers of the deliver_sm its notifiers send: one counter, so two stores' never meet on a session. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> sequences = new ConcurrentHashMap<>();
    private final ConcatAssembler concatenations = new ConcatAssembler();
    private static final long CONCAT_TIMEOUT_MS = 60_000;

    private final smppgw.metrics.Metrics metrics;

    /**
     * @param submitter where submits go once read and within the client's rate (a gateway: {@link Submitter#local})
     * @param clock     what concatenated parts' age is read from
     */
    public SmppServer(GatewayConfig.SmppServerConfig config, Submitter submitter, java.time.Clock clock, Clients clients,
                      smppgw.metrics.Metrics metrics, smppgw.tls.TlsContexts.Endpoint tls) {
        this.metrics = metrics;
        this.tls = tls;
        this.config = config;
        this.submitter = submitter;
        this.clock = clock;
        this.clients = clients;
    }

    private smppgw.api.ConnectionGuard guard;
    /** TLS on the listener (plain SMPP then off), or null. */
    private final smppgw.tls.TlsContexts.Endpoint tls;

    /** Connections open now. */
    public int openConnections() {
        return guard == null ? 0 : guard.open();
    }

    public SmppServer start() throws InterruptedException {
        boss = smppgw.api.Transport.group(1, "smppgw-smpps-boss");
        workers = smppgw.api.Transport.group(config.ioThreads(), "smppgw-smpps-io");
        long idle = config.idleTimeout().toMillis();
        guard = new smppgw.api.ConnectionGuard("smpp-server", config.maxConnections(), config.maxConnectionsPerIp(), ctx -> {
            metrics.connectionsRefused.labelValues("smpp-server").inc();
            ctx.close(); // nothing may come before a bind: the refusal is the close, counted and logged
        });
        long frameTimeout = config.frameTimeout().toMillis();
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(smppgw.api.Transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(guard, new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS),
                                new PduDecoder(transcoder, frameTimeout, () -> {
                                    metrics.slowRequests.labelValues("smpp-server").inc();
                                    LOG.info("[smpp-server] {}: a PDU did not arrive whole within {} ms (frame-timeout); closed",
                                            ch.remoteAddress(), frameTimeout);
                                }), new ServerSession(SmppServer.this));
                        if (tls != null) {
                            tls.addServerHandlers(ch);
                        }
                    }
                });
        try {
            channel = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("SMPP server cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        workers.scheduleAtFixedRate(() -> {
            for (ConcatAssembler.Held h : concatenations.expire(clock.millis(), CONCAT_TIMEOUT_MS)) {
                LOG.warn("[smpp-server] [client:{}] concatenated submit incomplete after {} s: part refused",
                        h.session().client().name(), CONCAT_TIMEOUT_MS / 1000);
                com.cloudhopper.smpp.pdu.SubmitSmResp resp = h.sm().createResponse();
                resp.setCommandStatus(SmppConstants.STATUS_SUBMITFAIL);
                h.session().send(resp);
            }
        }, 5, 5, TimeUnit.SECONDS);
        LOG.info("SMPP server for integrators listening on {}{} ({})", channel.localAddress(), tls == null ? "" : " (TLS only)",
                smppgw.api.Transport.name());
        return this;
    }

    /**
     * Sends the SMPP clients' receipts and handset messages queued in {@code store} to their receivers bound here, until
     * {@link #stopNotifying}; {@code source} names the store (a gateway's one, or a shard's).
     */
    public synchronized void notifyFrom(String source, smppgw.store.MessageStore store) {
        Map<String, SmppNotifier> mine = new ConcurrentHashMap<>();
        for (ClientConfig c : clients.all()) {
            if (c.systemId() != null) {
                mine.put(c.name(), new SmppNotifier(c.name(), store, this, config.window(),
                        sequences.computeIfAbsent(c.name(), k -> new java.util.concurrent.atomic.AtomicInteger(0x40000000))).start());
            }
        }
        Map<String, SmppNotifier> before = notifiers.put(source, mine);
        if (before != null) {
            before.values().forEach(SmppNotifier::close);
        }
    }

    /**
     * Stops sending from {@code source}'s store (before it closes): what was sent and not yet acknowledged is sent again
     * by whoever reads that store next.
     */
    public synchronized void stopNotifying(String source) {
        Map<String, SmppNotifier> mine = notifiers.remove(source);
        if (mine != null) {
            mine.values().forEach(SmppNotifier::stopSending); // the clients' answers to what is in flight are waited for at once
            mine.values().forEach(SmppNotifier::close);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public Counters counters() {
        return counters;
    }

    /** Bound sessions of a client that can take deliver_sm. */
    public List<ServerSession> receivers(String client) {
        return bound.getOrDefault(client, List.of()).stream().filter(ServerSession::canReceive).toList();
    }

    /** Where deliver_sm_resp and other responses from integrators go (the receipt notifier). */
    public void onResponse(BiConsumer<ServerSession, PduResponse> handler) {
        this.responses = handler;
    }

    /** Called with the client's name whenever one of its sessions binds. */
    public void onBind(java.util.function.Consumer<String> handler) {
        this.onBind = handler;
    }

    smppgw.metrics.Metrics metrics() {
        return metrics;
    }

    /** Bound sessions per client, for metrics. */
    public int boundCount(String client) {
        return bound.getOrDefault(client, List.of()).size();
    }

    ConcatAssembler concatenations() {
        return concatenations;
    }

    Submitter submitter() {
        return submitter;
    }

    java.time.Clock clock() {
        return clock;
    }

    Clients clients() {
        return clients;
    }

    PduTranscoder transcoder() {
        return transcoder;
    }

    long bindTimeoutMs() {
        return config.bindTimeout().toMillis();
    }

    long idleTimeoutMs() {
        return config.idleTimeout().toMillis();
    }

    private final BindGuard bindGuard = new BindGuard();

    /**
     * SMPP status for a bind: not while its system-id or address is locked out after failed binds (ESME_RBINDFAIL,
     * the password not even looked at), then credentials, bind type allowed for the client, and its bind count.
     */
    synchronized int authorize(ServerSession s, String systemId, String password, SmppBindType type, String address) {
        long now = System.nanoTime() / 1_000_000;
        long until = bindGuard.lockedUntil(systemId, address, now);
        if (until > 0) {
            metrics.smppBindsRefused.labelValues("locked_out").inc();
            return SmppConstants.STATUS_BINDFAIL;
        }
        Optional<ClientConfig> c = clients.bySystemId(systemId);
        ClientConfig client = c.orElse(null);
        if (client == null || !java.security.MessageDigest.isEqual(bytes(client.password()), bytes(password))) {
            metrics.smppBindsRefused.labelValues(client == null ? "unknown_system_id" : "wrong_password").inc();
            BindGuard.Outcome o = bindGuard.failed(systemId, address, now);
            if (o.lockedOut()) {
                metrics.smppBindLockouts.inc();
                LOG.warn("[smpp-server] failed binds: system-id {} locked out for {} s, address {} for {} s", systemId,
                        o.systemIdLockMs() / 1000, address, o.addressLockMs() / 1000);
            }
            return client == null ? SmppConstants.STATUS_INVSYSID : SmppConstants.STATUS_INVPASWD;
        }
        bindGuard.succeeded(systemId, address);
        String t = type == SmppBindType.TRANSMITTER ? "transmitter" : type == SmppBindType.RECEIVER ? "receiver" : "transceiver";
        List<ServerSession> sessions = bound.computeIfAbsent(client.name(), k -> new CopyOnWriteArrayList<>());
        if (!client.bindTypes().contains(t) || sessions.size() >= client.maxBinds()) {
            return SmppConstants.STATUS_BINDFAIL;
        }
        sessions.add(s);
        return SmppConstants.STATUS_OK;
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    void onBound(ServerSession s) {
        notifiers.values().forEach(m -> {
            SmppNotifier n = m.get(s.client().name());
            if (n != null) {
                n.wake();
            }
        });
        onBind.accept(s.client().name());
    }

    void onResponse(ServerSession s, PduResponse r) {
        if (s.client() != null) {
            notifiers.values().forEach(m -> { // a deliver_sm_resp's sequence number is in flight at one notifier at most
                SmppNotifier n = m.get(s.client().name());
                if (n != null) {
                    n.onResponse(r);
                }
            });
        }
        responses.accept(s, r);
    }

    void unregister(ServerSession s) {
        bound.values().forEach(l -> l.remove(s));
    }

    /** Unbinds every integrator, stops listening. Idempotent. */
    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            channel = null;
        }
        bound.values().forEach(l -> l.forEach(ServerSession::unbind));
        List.copyOf(notifiers.keySet()).forEach(this::stopNotifying);
        if (boss != null) {
            workers.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            boss = null;
        }
    }
}
