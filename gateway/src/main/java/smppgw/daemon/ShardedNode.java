package smppgw.daemon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private final int shards;
    private final Map<Integer, Core> cores = new ConcurrentHashMap<>();
    private final SmppClientPool pool;
    private final Clients clients;
    private final ActiveMember member;
    private final String nodeId;
    private final String dataDir;
    private final String groupName;
    private final smppgw.metrics.Metrics metrics = new smppgw.metrics.Metrics();
    private final ShardFront front;
    private final smppgw.api.http.HttpApi http;
    private final ActiveMember.Watch watch;
    private final java.util.concurrent.ScheduledExecutorService asking;
    /** Who runs each shard, as the group coordinator said last. */
    private volatile Map<Integer, ShardFront.Owner> owners = Map.of();
    /** The group's nodes, as the group coordinator said last. */
    private volatile List<ActiveMember.Member> members = List.of();
    private final ShardInbound inbound;
    /** Receipts and handset messages on their way to the node running their shard. */
    private final smppgw.store.kafka.InboundTopic inboundTopic;
    private final Map<Integer, smppgw.store.kafka.InboundTopic.Reader> readers = new ConcurrentHashMap<>();
    /** Which binds this node holds (its own, or over the node link), placed again every second. */
    private final NodePlacement placement;
    /** The node link ({@code cluster.link}): where the other nodes send over this node's binds; null without one. */
    private final smppgw.smpp.NodeLink link;

    private ShardedNode(Supplier<GatewayConfig> config, Clock clock, int shards, GatewayConfig first) {
        this.config = config;
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
        this.front = new ShardFront(first, nodeId, new ShardRouting(shards, first.defaultCountryCode()), k -> owners.get(k), metrics, new NodeAdmin());
        DataDir.writeAdminToken(first.dataDir(), front.adminToken());
        this.http = new smppgw.api.http.HttpApi(first.http(), metrics, first.metrics(),
                first.http().tls() == null ? null : new smppgw.tls.TlsContexts().listener("http", first.http().tls()), front);
        try {
            http.start();
            if (link != null) {
                link.start();
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
            http.close();
            if (link != null) {
                link.close();
            }
            asking.shutdownNow();
            abandon();
            throw e;
        }
    }

    /** A start that failed: what was made before it failed (no bind was placed yet). */
    private void abandon() {
        watch.close();
        pool.stop(0);
        inboundTopic.close();
    }

    /**
     * Joins the sharded group named by {@code config}'s {@code cluster.failover-group}.
     *
     * @param config read again each time this node is given a shard
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
        try {
            GatewayConfig c = forShard(config.get(), shard, shards);
            DataDir.create(c.dataDir());
            core = new Core(c, clock, smppgw.metrics.Metrics.part()); // a registry per core (its gauges are per journal), on the node's /metrics by shard
            core.open();
            core.serve(pool, clients, null);
            cores.put(shard, core);
            Core served = core;
            readers.put(shard, inboundTopic.read(shard, v -> ShardInbound.deliver(v, served.recorder())));
            front.add(shard, ShardFront.shard(core.intake(), core.store(), clients, c.http().maxBatch(),
                    () -> new smppgw.api.http.Health(served.unavailable() == null, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                    served.metrics()));
            GatewayMetrics.dispatchers(core.metrics(), core.dispatchers(), core.store());
            metrics.attach(String.valueOf(shard), core.metrics());
            LOG.info("shard {} of {} runs here: journal {} in {}", shard, shards, c.store().kafka().journalTopic(), c.dataDir());
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not run shard {}: {}", shard, e.getMessage(), e);
            if (core != null) {
                core.close();
            }
            return false;
        }
    }

    private void stop(int shard) {
        front.remove(shard); // requests for it go where it runs next (or get 503 shard_moved) from now on
        metrics.detach(String.valueOf(shard));
        smppgw.store.kafka.InboundTopic.Reader reader = readers.remove(shard);
        if (reader != null) {
            reader.close(); // what it read is journaled and committed before the core closes
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
     * {@code GET /admin/status} of a node of a sharded group: the group's nodes and the shards each runs (as the group
     * coordinator said last: every node tells the same), then each core of this node as a gateway's status tells it.
     */
    ObjectNode status() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("role", "sharded").put("node", nodeId).put("data_dir", dataDir);
        ObjectNode group = n.putObject("cluster").put("group", groupName).put("shards", shards);
        var nodes = group.putArray("nodes");
        for (ActiveMember.Member m : members) {
            ObjectNode node = nodes.addObject().put("node_id", m.nodeId()).put("url", m.url());
            m.shards().forEach(node.putArray("shards")::add);
            ObjectNode binds = node.putObject("binds");
            placement.placed().getOrDefault(m.nodeId(), List.of()).forEach(b -> binds.put(NodeBinds.operatorOf(b.account()),
                    binds.path(NodeBinds.operatorOf(b.account())).asInt() + 1));
        }
        var without = n.putArray("operators_without_bind"); // this node's cores cannot send these operators' messages
        var overLink = n.putArray("operators_over_link"); // nor over their own binds: over another node's
        placement.applied().forEach((name, op) -> {
            if (op.binds().isEmpty()) {
                without.add(name);
            } else if (NodePlacement.overLink(op)) {
                overLink.add(name);
            }
        });
        boolean ok = owners.size() == shards;
        ObjectNode here = n.putObject("shards_here");
        for (Map.Entry<Integer, Core> e : new java.util.TreeMap<>(cores).entrySet()) {
            Core core = e.getValue();
            ObjectNode s = here.putObject(String.valueOf(e.getKey()));
            String down = core.unavailable();
            ok &= down == null;
            s.put("store", down == null ? "ok" : "unavailable").put("store_reason", down);
            ObjectNode ops = s.putObject("operators");
            core.dispatchers().forEach((name, d) -> ops.putObject(name).put("binds_up", pool.binds(name).boundCount())
                    .put("binds", pool.binds(name).sessions().size()).put("backlog", d.backlog())
                    .put("in_flight", d.inFlight()).put("effective_tps", d.effectiveTps()).put("achieved_tps", d.achievedTps()));
            core.status(s);
        }
        n.put("status", ok ? "ok" : "degraded");
        return n;
    }

    /** The admin API of a sharded node: its status (step 2 routes nothing else here yet). */
    private final class NodeAdmin implements smppgw.api.http.Admin {
        @Override
        public ObjectNode status() {
            return ShardedNode.this.status();
        }

        @Override
        public boolean pause(String operator) {
            throw new UnsupportedOperationException("not in a sharded group yet");
        }

        @Override
        public boolean resume(String operator) {
            throw new UnsupportedOperationException("not in a sharded group yet");
        }

        @Override
        public boolean drain(String operator) {
            throw new UnsupportedOperationException("not in a sharded group yet");
        }

        @Override
        public List<String> reload() {
            throw new UnsupportedOperationException("not in a sharded group yet");
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
        inboundTopic.close();
        watch.close();
    }
}
