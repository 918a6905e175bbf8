package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import smppgw.api.http.StandbyFront;
import smppgw.config.GatewayConfig;
import smppgw.store.kafka.ActiveMember;

/**
 * A node of a failover group ({@code cluster.failover-group}): it stands by (no bind, no store; its HTTP port forwards
 * every request to the active node, {@link StandbyFront}) until Kafka makes it the group's active node, then runs the
 * gateway on the group's journal — restored from Kafka if its own is not the group's, fencing whoever wrote before —
 * until it stops or another node is made active. So several machines run {@code bin/smppgw run} with the same group,
 * integrators may use any of their addresses, and one of them decides and sends; when it dies, another serves within
 * {@code cluster.session-timeout} plus the restore, and sends everything that was accepted and not yet sent.
 */
public final class FailoverNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverNode.class);

    private final Supplier<GatewayConfig> config;
    private final Clock clock;
    private final ActiveMember member;
    private volatile Gateway gateway;
    private final java.util.concurrent.atomic.AtomicInteger failedStarts = new java.util.concurrent.atomic.AtomicInteger();
    private final String nodeId;
    /** Who the active node is, asked of Kafka every second while this one stands by. */
    private final ActiveMember.Watch watch;
    private final java.util.concurrent.ScheduledExecutorService asking;
    private volatile StandbyFront.Active active;
    /** A node whose port refused a forwarded request: not forwarded to again until it takes a connection (or another is active). */
    private volatile String unreachable;
    private StandbyFront front;
    private smppgw.api.smpp.SmppRelay relay;
    /** The copy of the group's journal and state this standby keeps ({@code cluster.warm-standby}), or null. */
    private volatile WarmStandby warm;
    private boolean closing;

    private FailoverNode(Supplier<GatewayConfig> config, Clock clock, GatewayConfig first) {
        this.config = config;
        this.clock = clock;
        this.nodeId = first.store().kafka().nodeId();
        this.watch = new ActiveMember.Watch(first.store().kafka());
        this.asking = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smppgw-standby-watch");
            t.setDaemon(true);
            return t;
        });
        try {
            startFront(first); // before joining: a port this node cannot have is an error at start, not at takeover
            startWarm(first);
        } catch (RuntimeException e) {
            close(watch, asking);
            throw e;
        }
        asking.scheduleWithFixedDelay(this::askWhoIsActive, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        this.member = ActiveMember.join(first.store().kafka(), url(first), new ActiveMember.Listener() {
            @Override
            public boolean activate(int shard) {
                return start(); // a failover group has one shard
            }

            @Override
            public void deactivate(int shard) {
                stop();
            }
        });
    }

    /**
     * Joins the group named by {@code config}'s {@code cluster.failover-group}.
     *
     * @param config read again each time this node becomes active (so a standby takes over with the file as it is then)
     */
    public static FailoverNode start(Supplier<GatewayConfig> config, Clock clock) {
        GatewayConfig first = config.get();
        if (!wanted(first)) {
            throw new IllegalArgumentException("not a node of a failover group (cluster.failover-group, store.type: kafka)");
        }
        return new FailoverNode(config, clock, first);
    }

    /** Whether the configuration makes this process a node of a failover group. */
    public static boolean wanted(GatewayConfig config) {
        return config.store().kafka() != null && config.store().kafka().failoverGroup() != null;
    }

    /** The gateway while this node is the active one, else null. */
    public Gateway gateway() {
        return gateway;
    }

    /** How many times this node was made the active one and could not start (it then leaves the role to another). */
    public int failedStarts() {
        return failedStarts.get();
    }

    private boolean start() {
        GatewayConfig c;
        try {
            c = config.get();
        } catch (RuntimeException e) {
            failedStarts.incrementAndGet();
            LOG.error("could not start as the active node: {}", e.getMessage(), e);
            return false;
        }
        stopFront(); // the gateway listens on the same port
        WarmStandby w = stopWarm();
        if (w != null) {
            w.handOver(); // the data directory ends where the group's journal ends: the start below replays only what is new
        }
        try {
            gateway = Gateway.start(c, clock);
            return true;
        } catch (RuntimeException e) {
            failedStarts.incrementAndGet();
            LOG.error("could not start as the active node: {}", e.getMessage(), e);
            standBy(c);
            return false;
        }
    }

    private void stop() {
        Gateway g = gateway;
        gateway = null;
        if (g != null) {
            g.close();
        }
        GatewayConfig c;
        try {
            c = config.get();
        } catch (RuntimeException e) {
            LOG.error("standing by without forwarding: the configuration cannot be read: {}", e.getMessage());
            return;
        }
        standBy(c);
    }

    private void standBy(GatewayConfig c) {
        try {
            startFront(c);
        } catch (RuntimeException e) {
            LOG.error("standing by without forwarding: {}", e.getMessage());
        }
        startWarm(c);
    }

    private synchronized void startWarm(GatewayConfig c) {
        if (!closing && warm == null && c.store().kafka().warmStandby()) {
            warm = WarmStandby.start(c, clock);
        }
    }

    private synchronized WarmStandby stopWarm() {
        WarmStandby w = warm;
        warm = null;
        return w;
    }

    private synchronized void startFront(GatewayConfig c) {
        if (closing || front != null) {
            return;
        }
        active = null; // asked again before anything is forwarded
        java.util.function.Consumer<String> unreachableNode = node -> {
            unreachable = node;
            active = null;
            asking.execute(this::askWhoIsActive);
        };
        smppgw.tls.TlsContexts.Endpoint tls = c.http().tls() == null ? null : new smppgw.tls.TlsContexts().listener("http", c.http().tls());
        StandbyFront f = new StandbyFront(c, nodeId, c.store().kafka().failoverGroup(), () -> active, unreachableNode).start(tls);
        if (c.smppServer().enabled()) {
            try {
                relay = new smppgw.api.smpp.SmppRelay(c.smppServer(), nodeId, () -> {
                    StandbyFront.Active a = active;
                    return a == null || a.smpp() == null ? null : new smppgw.api.smpp.SmppRelay.Target(a.nodeId(), smppgw.config.HostPort.parse(a.smpp()));
                }, unreachableNode).start();
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
            smppgw.api.smpp.SmppRelay r = relay;
            f.metrics().counter("smppgw_standby_relayed_smpp_connections", "SMPP connections this standby relayed to the active node, or closed"
                    + " at once (no active node, or it could not be reached)", "outcome", List.of("relayed", "closed"), o -> o,
                    o -> o.equals("relayed") ? r.relayed() : r.refused());
        }
        f.health(n -> {
            WarmStandby w = warm;
            com.fasterxml.jackson.databind.node.ObjectNode copy = n.putObject("journal_copy").put("state", w == null ? "off"
                    : w.problem() != null ? "failing" : w.behind() < 0 ? "starting" : w.behind() == 0 ? "following" : "catching_up");
            if (w != null) {
                copy.put("behind_records", w.behind()).put("copied_records", w.copied()).put("read_records", w.read()).put("problem", w.problem());
            }
        });
        f.metrics().counter("smppgw_standby_journal_copied_records", "journal records this standby copied from the group's topic into its"
                + " data directory (cluster.warm-standby)", "node", List.of(nodeId), n -> n, n -> warm == null ? 0 : warm.copied());
        f.metrics().gauge("smppgw_standby_journal_behind_records", "records of the group's journal topic this standby has not copied yet"
                + " (-1: not known, or no copy is kept)", "node", List.of(nodeId), n -> n, n -> warm == null ? -1 : warm.behind());
        front = f;
    }

    private synchronized void stopFront() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
        if (front != null) {
            front.close();
            front = null;
        }
    }

    private void askWhoIsActive() {
        if (gateway != null) {
            return;
        }
        try {
            StandbyFront.Active a = watch.members().stream().filter(m -> m.active() && m.url() != null && !m.nodeId().equals(nodeId)).findFirst()
                    .map(m -> new StandbyFront.Active(m.nodeId(), m.url(), m.smpp())).orElse(null);
            if (a != null && a.nodeId().equals(unreachable)) { // killed, frozen or cut off: Kafka has it active until its session expires
                if (!takesConnections(a.url())) {
                    a = null;
                } else {
                    unreachable = null;
                }
            }
            active = a;
        } catch (RuntimeException e) {
            active = null;
            LOG.warn("standing by: cannot tell which node is active: {}", e.getMessage());
        }
    }

    private static boolean takesConnections(String url) {
        java.net.URI u = java.net.URI.create(url);
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(u.getHost().replace("[", "").replace("]", ""), u.getPort()), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Where the other nodes reach this node, published with its membership: {@code http://host:port} (the HTTP API) and,
     * with an SMPP server, {@code ,smpp://host:port}, with a node link ({@code cluster.link}), {@code ,link://host:port}. The host is {@code cluster.advertise}, else the listen address
     * when it is not a wildcard, else this machine's name; the ports are those it listens on.
     */
    static String url(GatewayConfig c) {
        String url = (c.http().tls() != null ? "https" : "http") + "://" + host(c, c.http().listen().host()) + ":" + c.http().listen().port();
        if (c.smppServer().enabled()) {
            url += ",smpp://" + host(c, c.smppServer().listen().host()) + ":" + c.smppServer().listen().port();
        }
        smppgw.config.KafkaStoreConfig.Link link = c.store().kafka().link();
        if (link != null) {
            url += ",link://" + host(c, link.listen().host()) + ":" + link.listen().port();
        }
        return url;
    }

    private static String host(GatewayConfig c, String listenHost) {
        String host = c.store().kafka().advertise();
        if (host == null) {
            host = listenHost;
            if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getCanonicalHostName();
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException("this node listens on a wildcard address and this machine's name cannot be found: set"
                            + " cluster.advertise to the address the other nodes of the group reach this one at", e);
                }
            }
        }
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void close(AutoCloseable watch, java.util.concurrent.ExecutorService asking) {
        asking.shutdownNow();
        try {
            watch.close();
        } catch (Exception e) {
            LOG.warn("closing: {}", e.toString());
        }
    }

    /** SIGHUP: the active node reloads; a standby reads the file when it becomes active. */
    public void reload() {
        Gateway g = gateway;
        if (g != null) {
            g.reload();
        } else {
            LOG.info("standing by: the configuration is read when this node becomes the active one");
        }
    }

    /** Stops the gateway if this node is active, then leaves the group (another node becomes active at once). */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        member.close();
        stop();
        stopFront();
        WarmStandby w = stopWarm();
        if (w != null) {
            w.close();
        }
        close(watch, asking);
    }
}
