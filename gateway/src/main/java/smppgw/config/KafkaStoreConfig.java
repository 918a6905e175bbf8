package smppgw.config;

import java.time.Duration;

/**
 * {@code store.type: kafka}: the journal replicated to Apache Kafka before anything is answered (docs/cluster.md).
 *
 * @param bootstrap          the brokers ({@code host:port,host:port})
 * @param topicPrefix        topics are {@code <prefix>.journal.<node-id>} and so on
 * @param replicationFactor  replicas of each topic (3 unless {@code unsafe-single-broker})
 * @param minInsyncReplicas  {@code min.insync.replicas} of each topic (2 unless {@code unsafe-single-broker})
 * @param unsafeSingleBroker allows weaker durability (demos on one broker)
 * @param ackTimeout         how long a record may wait for Kafka's acknowledgement before intake is refused (503)
 * @param nodeId             {@code cluster.node-id}: unique per node
 * @param failoverGroup      {@code cluster.failover-group}: nodes naming the same group share one journal, one of them
 *                           active at a time and the others standing by to take over (null: this node alone)
 * @param sessionTimeout     {@code cluster.session-timeout}: how long after its last heartbeat an active node is taken over
 * @param advertise          {@code cluster.advertise}: the host name or address the other nodes of the failover group reach this
 *                           node's HTTP API at (null: the host of {@code http.listen}, or this machine's name when that is a wildcard)
 * @param warmStandby        {@code cluster.warm-standby}: a standby keeps a copy of the group's journal and state up to date, so
 *                           that taking over replays seconds of records, not the whole journal (default true)
 * @param shard              the shard of a sharded group whose journal this is ({@link #forShard}), or -1: the group's one
 *                           journal (or this node's)
 * @param shards             {@code cluster.shards}: how many shards the failover group's work is divided into (1: one journal,
 *                           one active node; more: every node runs some of them, docs/cluster.md "Step 2 revisited")
 * @param link               {@code cluster.link}: where a node of a sharded group takes the other nodes' submits for the binds it
 *                           holds (the node link, docs/cluster.md step 3b), or null: none
 */
public record KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas,
                               boolean unsafeSingleBroker, Duration ackTimeout, String nodeId, String failoverGroup, Duration sessionTimeout,
                               String advertise, boolean warmStandby, int shard, int shards, Link link) {

    /**
     * The node link's listener: {@code cluster.link.listen} ({@code host:port}) and {@code cluster.link.password}, which every
     * node of the group binds with (the same on all of them).
     */
    public record Link(HostPort listen, String password) {
        @Override
        public String toString() {
            return "Link[listen=" + listen + ", password=****]";
        }
    }

    /** Without a node link. */
    public KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas, boolean unsafeSingleBroker,
                            Duration ackTimeout, String nodeId, String failoverGroup, Duration sessionTimeout, String advertise, boolean warmStandby,
                            int shard, int shards) {
        this(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker, ackTimeout, nodeId, failoverGroup, sessionTimeout,
                advertise, warmStandby, shard, shards, null);
    }

    /** One shard. */
    public KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas, boolean unsafeSingleBroker,
                            Duration ackTimeout, String nodeId, String failoverGroup, Duration sessionTimeout, String advertise, boolean warmStandby,
                            int shard) {
        this(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker, ackTimeout, nodeId, failoverGroup, sessionTimeout,
                advertise, warmStandby, shard, 1);
    }

    /** The group's one journal, or this node's. */
    public KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas, boolean unsafeSingleBroker,
                            Duration ackTimeout, String nodeId, String failoverGroup, Duration sessionTimeout, String advertise, boolean warmStandby) {
        this(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker, ackTimeout, nodeId, failoverGroup, sessionTimeout,
                advertise, warmStandby, -1);
    }

    /** With a warm standby (the default). */
    public KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas, boolean unsafeSingleBroker,
                            Duration ackTimeout, String nodeId, String failoverGroup, Duration sessionTimeout, String advertise) {
        this(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker, ackTimeout, nodeId, failoverGroup, sessionTimeout,
                advertise, true);
    }

    /** A node on its own (no failover group). */
    public KafkaStoreConfig(String bootstrap, String topicPrefix, int replicationFactor, int minInsyncReplicas, boolean unsafeSingleBroker,
                            Duration ackTimeout, String nodeId) {
        this(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker, ackTimeout, nodeId, null, Duration.ofSeconds(10), null);
    }

    /** The topic the journal is replicated to: the failover group's (a shard's: {@code <group>.<shard>}), or this node's. */
    public String journalTopic() {
        return topicPrefix + ".journal." + (failoverGroup != null ? failoverGroup + (shard >= 0 ? "." + shard : "") : nodeId);
    }

    /**
     * The journal of shard {@code shard} of a group of {@code shards}; with one shard, the group's one journal (its topic
     * as it always was).
     */
    public KafkaStoreConfig forShard(int shard, int shards) {
        if (failoverGroup == null || shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " of " + shards + (failoverGroup == null ? " without a failover group" : ""));
        }
        return shards == 1 ? this : new KafkaStoreConfig(bootstrap, topicPrefix, replicationFactor, minInsyncReplicas, unsafeSingleBroker,
                ackTimeout, nodeId, failoverGroup, sessionTimeout, advertise, warmStandby, shard, shards, link);
    }

    /** The topic whose consumer group decides which node of the failover group is active. */
    public String activeTopic() {
        return topicPrefix + ".active." + failoverGroup;
    }

    /** {@code store.kafka} and {@code cluster}, read when {@code store.type} is {@code kafka}; problems reported on the nodes. */
    static KafkaStoreConfig read(Node kafka, Node cluster) {
        String bootstrap = kafka.string("bootstrap", null);
        if (bootstrap == null || bootstrap.isBlank()) {
            kafka.problem("bootstrap", bootstrap, "the Kafka brokers as host:port[,host:port...] (store.type is kafka)");
        } else {
            for (String b : bootstrap.split(",")) {
                if (HostPort.parse(b.trim()) == null) {
                    kafka.problem("bootstrap", bootstrap, "host:port[,host:port...]");
                    break;
                }
            }
        }
        String prefix = kafka.string("topic-prefix", "smppgw");
        if (!prefix.matches("[A-Za-z0-9._-]{1,100}")) {
            kafka.problem("topic-prefix", prefix, "1 to 100 letters, digits, '.', '_' or '-'");
        }
        boolean unsafe = kafka.bool("unsafe-single-broker", false);
        int rf = (int) kafka.integer("replication-factor", 3, 1, 7);
        int isr = (int) kafka.integer("min-insync-replicas", 2, 1, 7);
        if (isr > rf) {
            kafka.problem("min-insync-replicas", isr, "at most replication-factor (" + rf + ")");
        }
        if (!unsafe && (rf < 3 || isr < 2)) {
            kafka.problem("replication-factor", rf + " with min-insync-replicas " + isr, "at least 3 with min-insync-replicas at least 2: "
                    + "an accepted message must survive losing a broker (unsafe-single-broker: true allows less, for demos)");
        }
        Duration ackTimeout = kafka.duration("ack-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5));
        kafka.rejectUnknownKeys();
        String nodeId = cluster.string("node-id", null);
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9_-]{1,64}")) {
            cluster.problem("node-id", nodeId, "a name unique to this node: 1 to 64 letters, digits, '_' or '-' (store.type is kafka)");
        }
        String group = cluster.string("failover-group", null);
        if (group != null && !group.matches("[A-Za-z0-9_-]{1,64}")) {
            cluster.problem("failover-group", group, "1 to 64 letters, digits, '_' or '-': the same on every node that may take over from the others");
        }
        // Kafka's brokers accept 6 s to 30 min by default (group.min/max.session.timeout.ms)
        Duration session = cluster.duration("session-timeout", Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofMinutes(5));
        String advertise = cluster.string("advertise", null);
        if (advertise != null && !advertise.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]")) {
            cluster.problem("advertise", advertise, "a host name or address the other nodes of the group reach this node's HTTP port at"
                    + " (no port: the one in http.listen; an IPv6 address in brackets)");
        }
        boolean warm = cluster.bool("warm-standby", true);
        int shards = (int) cluster.integer("shards", 1, 1, smppgw.route.Shards.MAX);
        if (shards > 1 && group == null) {
            cluster.problem("shards", shards, "a sharded group needs cluster.failover-group: the name its nodes share");
        }
        Link link = null;
        if (cluster.has("link")) {
            Node l = cluster.child("link");
            HostPort listen = l.hostPort("listen", null);
            String password = l.secret("password", null);
            if (password == null || password.length() < 8 || password.length() > 64) {
                l.problem("password", "****", "8 to 64 characters, the same on every node of the group (the nodes bind to each other with it)");
            }
            if (shards < 2) {
                cluster.problem("link", "set", "cluster.shards of 2 or more: the node link carries a sharded group's submits between its nodes");
            }
            l.rejectUnknownKeys();
            link = new Link(listen, password);
        }
        cluster.rejectUnknownKeys();
        return new KafkaStoreConfig(bootstrap, prefix, rf, isr, unsafe, ackTimeout, nodeId, group, session, advertise, warm, -1, shards, link);
    }
}
