package smppgw.daemon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import smppgw.api.http.ShardFront;
import smppgw.api.http.ShardRouting;
import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.smpp.SmppClientPool;
import smppgw.store.MessageStore;
import smppgw.store.kafka.ActiveMember;

/**
 * A node of a sharded group (docs/cluster.md, "Step 2 revisited"): Kafka gives it some of the group's shards, and it runs
 * one {@link Core} per shard — the shard's journal in {@code <data-dir>/shards/<k>}, copied to the Kafka topic
 * {@code <prefix>.journal.<group>.<k>}, restored, caught up and fenced as a failover group's active node does with its one
 * journal — until the shard is taken from it (another node joins, or this one stops), when the core closes before the
 * shard is given to another node.
 *
 * <p>Its HTTP port ({@code http.listen}) is the front of step 2 ({@link ShardFront}): each request goes to the core of its
 * shard here, or to the node that runs the shard (who runs what is asked of Kafka's group coordinator every second).
 *
 * <p>Sending (step 3, as far as built): each operator's binds are placed on the group's live nodes ({@link NodeBinds}: never
 * more than configured in the group, each with its share of the operator's tps), asked again every second with who runs
 * what; the cores of a node send over its binds, and what the SMSCs send on them goes to the core of its number's shard
 * ({@link ShardInbound}). A node holding none of an operator's binds sends over the node link ({@code cluster.link},
 * {@link smppgw.smpp.NodeLink}) of the nodes that hold some; without a link its cores' messages for it wait.
 */
public final class ShardedNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedNode.class);

    private final Supplier<GatewayConfig> config;
    private final Clock clock;
    final int shards;
    final Map<Integer, Core> cores = new ConcurrentHashMap<>();
    final SmppClientPool pool;
    final Clients clients;
    private final ActiveMember member;
    final String nodeId;
    final String dataDir;
    final String groupName;
    private final smppgw.metrics.Metrics metrics = new smppgw.metrics.Metrics();
    private final ShardFront front;
    private final smppgw.api.http.HttpApi http;
    private final ActiveMember.Watch watch;
    private final java.util.concurrent.ScheduledExecutorService asking;
    /** Who runs each shard, as the group coordinator said last. */
    volatile Map<Integer, ShardFront.Owner> owners = Map.of();
    /** The group's nodes, as the group coordinator said last. */
    volatile List<ActiveMember.Member> members = List.of();
    private final ShardInbound inbound;
    /** Receipts and handset messages on their way to the node running their shard. */
    private final smppgw.store.kafka.InboundTopic inboundTopic;
    private final Map<Integer, smppgw.store.kafka.InboundTopic.Reader> readers = new ConcurrentHashMap<>();
    /** Which binds this node holds (its own, or over the node link), placed again every second. */
    final NodePlacement placement;
    /** The configuration running now (the file as read at start or at the last reload); changed under the write lock. */
    private volatile GatewayConfig current;
    /** A core starts with the configuration running (read lock); a reload changes it for all cores at once (write lock). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock configLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Status, reload and operator controls of this node ({@code /admin}). */
    private final ShardedNodeAdmin admin = new ShardedNodeAdmin(this);
    /** The node link ({@code cluster.link}): where the other nodes send over this node's binds; null without one. */
    private final smppgw.smpp.NodeLink link;
    /** The SMPP server integrators bind to ({@code smpp-server.listen}), its submits to their shards' cores; null without one. */
    final smppgw.api.smpp.SmppServer smppServer;

    private ShardedNode(Supplier<GatewayConfig> config, Clock clock, int shards, GatewayConfig first) {
        this.config = config;
        this.current = first;
        this.clock = clock;
        this.shards = shards;
        this.clients = new Clients(first.clients());
        this.inboundTopic = new smppgw.store.kafka.InboundTopic(first.store().kafka(), shards, first.store().retention());
        this.inbound = new ShardInbound(shards, first.defaultCountryCode(), k -> {
            Core c = cores.get(k);
            return c == null ? null : c.recorder();
        }, inboundTopic::send);
        // no bind until the group's members are known: then this node's part of each operator's (NodePlacement)
        this.pool = new SmppClientPool(first.smppClient().ioThreads(), first.operators().stream().map(ShardedNode::withoutBinds).toList(),
                inbound, new smppgw.tls.TlsContexts());
        GatewayMetrics.binds(metrics, pool);
        metrics.counter("smppgw_inbound_forwarded", "receipts and handset messages on this node's binds forwarded to the node running"
                + " their shard (through Kafka)", "kind", List.of("receipt", "mo"), k -> k,
                k -> (k.equals("receipt") ? inbound.receiptsForwarded : inbound.moForwarded).get());
        metrics.counter("smppgw_inbound_refused", "receipts and handset messages on this node's binds answered ESME_RX_T_APPN because"
                + " they could not be forwarded (Kafka unreachable, or a receipt without the recipient's number)", "kind", List.of("receipt", "mo"),
                k -> k, k -> (k.equals("receipt") ? inbound.receiptsRefused : inbound.moRefused).get());
        smppgw.config.KafkaStoreConfig.Link linkConfig = first.store().kafka().link();
        this.link = linkConfig == null ? null : new smppgw.smpp.NodeLink(linkConfig.listen(), linkConfig.password(), pool);
        this.placement = new NodePlacement(first.store().kafka().nodeId(), first.operators(), pool, linkConfig);
        if (link != null) {
            metrics.counter("smppgw_link_submits", "other nodes' submits relayed over this node's binds (node link), by how they ended:"
                    + " answered by the SMSC, answered throttled here (no bind free within a second), left unanswered (the SMSC did not"
                    + " answer in time)", "result", List.of("relayed", "throttled", "unanswered"), k -> k,
                    k -> (k.equals("relayed") ? link.relayed : k.equals("throttled") ? link.throttled : link.unanswered).get());
            metrics.gauge("smppgw_link_waiting", "other nodes' submits waiting for a bind of this node", "node", List.of(first.store().kafka().nodeId()),
                    k -> k, k -> link.waiting());
        }
        DataDir.create(first.dataDir());
        this.nodeId = first.store().kafka().nodeId();
        this.dataDir = first.dataDir().toString();
        this.groupName = first.store().kafka().failoverGroup();
        this.watch = new ActiveMember.Watch(first.store().kafka());
        this.front = new ShardFront(first, nodeId, new ShardRouting(shards, first.defaultCountryCode()), k -> owners.get(k), metrics, admin);
        DataDir.writeAdminToken(first.dataDir(), front.adminToken());
        this.http = new smppgw.api.http.HttpApi(first.http(), metrics, first.metrics(),
                first.http().tls() == null ? null : new smppgw.tls.TlsContexts().listener("http", first.http().tls()), front);
        this.smppServer = first.smppServer().enabled() ? new smppgw.api.smpp.SmppServer(first.smppServer(), front.submits()::submit, clock,
                clients, metrics, first.smppServer().tls() == null ? null : new smppgw.tls.TlsContexts().listener("smpp-server", first.smppServer().tls()))
                : null;
        try {
            http.start();
            if (link != null) {
                link.start();
            }
            if (smppServer != null) {
                smppServer.start();
                GatewayMetrics.integrators(metrics, smppServer, first.clients());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new IllegalStateException("interrupted while starting the HTTP port", e);
        } catch (RuntimeException e) {
            abandon();
            throw e;
        }
        this.asking = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "smppgw-shard-owners"));
        asking.scheduleWithFixedDelay(this::askWhoRunsWhat, 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        try {
            this.member = ActiveMember.join(first.store().kafka(), shards, FailoverNode.url(first), new ActiveMember.Listener() {
                @Override
                public boolean activate(int shard) {
                    return start(shard);
                }

                @Override
                public void deactivate(int shard) {
                    stop(shard);
                }
            });
        } catch (RuntimeException e) { // Kafka refused it (another shard count): nothing of this node is left running
            asking.shutdownNow();
            abandon();
            throw e;
        }
    }

    /** A start that failed: what was made before it failed (no bind was placed yet). */
    private void abandon() {
        http.close();
        if (link != null) {
            link.close();
        }
        if (smppServer != null) {
            smppServer.close();
        }
        watch.close();
        pool.stop(0);
        inboundTopic.close();
    }

    /**
     * Joins the sharded group named by {@code config}'s {@code cluster.failover-group}.
     *
     * @param config the configuration file, read at start and again on {@link #reload}
     * @param shards the group's shard count (fixed when the group is made)
     */
    public static ShardedNode start(Supplier<GatewayConfig> config, Clock clock, int shards) {
        GatewayConfig first = config.get();
        if (!FailoverNode.wanted(first)) {
            throw new IllegalArgumentException("not a node of a group (cluster.failover-group, store.type: kafka)");
        }
        return new ShardedNode(config, clock, shards, first);
    }

    /** The configuration of shard {@code shard}'s core: its data directory and journal topic; with one shard, the node's own. */
    static GatewayConfig forShard(GatewayConfig c, int shard, int shards) {
        if (shards == 1) {
            return c;
        }
        GatewayConfig.StoreConfig s = c.store();
        GatewayConfig.StoreConfig store = new GatewayConfig.StoreConfig(s.receiptWindow(), s.maxBatch(), s.commandQueue(), s.minFreeDiskMb(),
                s.retention(), s.kafka().forShard(shard, shards));
        return new GatewayConfig(c.source(), c.dataDir().resolve("shards").resolve(String.valueOf(shard)), c.defaultCountryCode(), c.http(),
                c.smppServer(), c.admin(), c.metrics(), c.intake(), c.smppClient(), store, c.log(), c.compliance(), c.tracking(), c.operators(),
                c.clients(), c.simulator(), c.holdsSecrets());
    }

    private static OperatorConfig withoutBinds(OperatorConfig o) {
        return new OperatorConfig(o.name(), o.prefixes(), o.isDefault(), o.tps(), o.maxBacklog(), o.validity(), o.adaptive(), o.encoding(),
                o.retry(), List.of(), o.receipts(), o.maxBacklogTime());
    }

    private boolean start(int shard) {
        Core core = null;
        configLock.readLock().lock(); // the configuration all other cores run, not one a reload is replacing
        try {
            GatewayConfig c = forShard(current, shard, shards);
            DataDir.create(c.dataDir());
            core = new Core(c, clock, smppgw.metrics.Metrics.part()); // a registry per core (its gauges are per journal), on the node's /metrics by shard
            core.open();
            core.serve(pool, clients, null);
            core.intake().clientRefs(new smppgw.intake.ClientRefs(front.refs(), shard, shards)); // references of other shards held there
            cores.put(shard, core);
            if (smppServer != null) {
                smppServer.notifyFrom("shard " + shard, core.store()); // its receipts and handset messages to receivers bound here
            }
            admin.apply(core); // the operators paused or draining on this node
            Core served = core;
            readers.put(shard, inboundTopic.read(shard, v -> ShardInbound.deliver(v, served.recorder())));
            front.add(shard, front.shard(core.intake(), core.store(), clients, c.http().maxBatch(),
                    () -> new smppgw.api.http.Health(served.unavailable() == null, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                    served.metrics()));
            GatewayMetrics.dispatchers(core.metrics(), core.dispatchers(), core.store());
            metrics.attach(String.valueOf(shard), core.metrics());
            LOG.info("shard {} of {} runs here: journal {} in {}", shard, shards, c.store().kafka().journalTopic(), c.dataDir());
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not run shard {}: {}", shard, e.getMessage(), e);
            if (core != null) {
                cores.remove(shard, core);
                core.close();
            }
            return false;
        } finally {
            configLock.readLock().unlock();
        }
    }

    private void stop(int shard) {
        front.remove(shard); // requests for it go where it runs next (or get 503 shard_moved) from now on
        metrics.detach(String.valueOf(shard));
        smppgw.store.kafka.InboundTopic.Reader reader = readers.remove(shard);
        if (reader != null) {
            reader.close(); // what it read is journaled and committed before the core closes
        }
        if (smppServer != null) {
            smppServer.stopNotifying("shard " + shard); // what was sent and not acknowledged is sent again by the next node to run it
        }
        Core core = cores.remove(shard);
        if (core != null) {
            core.close();
            LOG.info("shard {} no longer runs here", shard);
        }
    }

    /** The shards whose cores run here now. */
    public List<Integer> shards() {
        return cores.keySet().stream().sorted().toList();
    }

    /** Shard {@code shard}'s intake while its core runs here. */
    public Optional<Intake> intake(int shard) {
        return Optional.ofNullable(cores.get(shard)).map(Core::intake);
    }

    /** Shard {@code shard}'s store while its core runs here. */
    public Optional<MessageStore> store(int shard) {
        return Optional.ofNullable(cores.get(shard)).map(Core::store);
    }

    private void askWhoRunsWhat() {
        try {
            Map<Integer, ShardFront.Owner> next = new java.util.HashMap<>();
            List<ActiveMember.Member> m0 = watch.members();
            for (ActiveMember.Member m : m0) {
                if (m.url() != null) {
                    m.shards().forEach(k -> next.put(k, new ShardFront.Owner(m.nodeId(), m.url())));
                }
            }
            owners = Map.copyOf(next);
            members = m0;
            placement.place(m0);
        } catch (RuntimeException e) {
            LOG.warn("node {}: cannot tell which node runs which shard: {}", nodeId, e.getMessage());
        }
    }

    /**
     * Re-reads the configuration file and applies it to every core this node runs and to its binds (SIGHUP, {@code smppgw
     * reload}, {@code POST /admin/reload}): what a gateway's reload applies — operators' rates, retries, encodings, routes,
     * binds (placed again over the group with their new counts and rates), clients — all of it or none. A core started later
     * gets the same configuration. Each node reads its own file: reload every node after changing theirs.
     *
     * @throws smppgw.config.ConfigException the file is not valid: nothing changed
     * @throws smppgw.config.ReloadRefusedException it changes settings only a restart applies: nothing changed
     */
    public List<String> reload() {
        GatewayConfig next = config.get();
        configLock.writeLock().lock();
        try {
            GatewayConfig now = current;
            List<String> restart = smppgw.config.ConfigChanges.needingRestart(now, next);
            if (!restart.isEmpty()) {
                LOG.warn("reload of {} refused: needs a restart to change {}; running configuration unchanged", next.source(), restart);
                throw new smppgw.config.ReloadRefusedException(restart);
            }
            List<String> applied = smppgw.config.ConfigChanges.applied(now, next);
            cores.forEach((k, core) -> core.reconfigure(forShard(next, k, shards)));
            clients.update(next.clients());
            current = next;
            placement.reconfigure(next.operators(), members);
            LOG.info("configuration reloaded from {}: {}", next.source(), applied.isEmpty() ? "no changes" : applied);
            return applied;
        } finally {
            configLock.writeLock().unlock();
        }
    }

    /** The port of the node's HTTP front. */
    public int httpPort() {
        return http.port();
    }

    /** Gives every shard up (each core closes before another node is given it), then leaves the group. */
    @Override
    public void close() {
        http.close(); // no request taken from now on: other nodes' forwards get a refused connection (503, nothing stored)
        if (smppServer != null) {
            smppServer.close(); // the integrators' sessions unbound: they bind to another node's address
        }
        asking.shutdownNow();
        try {
            asking.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS); // no placement of binds while the pool stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        member.close();
        cores.keySet().forEach(this::stop); // a shard left running by a member that could not poll any more
        if (link != null) {
            link.close(); // the other nodes' submits waiting here: their binds to it are lost, they send them again elsewhere
        }
        pool.stop(2000);
        front.refs().close();
        inboundTopic.close();
        watch.close();
    }
}
