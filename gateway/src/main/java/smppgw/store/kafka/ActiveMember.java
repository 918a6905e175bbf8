package smppgw.store.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import smppgw.config.KafkaStoreConfig;

/**
 * Which node of a failover group ({@code cluster.failover-group}) runs which shard: the one Kafka's group coordinator
 * assigns that partition of {@code <prefix>.active.<group>} to (one partition per shard; a failover group as built has
 * one shard, so one active node). Every node of the group joins the consumer group of that topic (nothing is ever
 * written to it); Kafka gives each partition to one live member, keeps it there while others join (cooperative sticky
 * assignment: a joining node is given only partitions taken from others to balance, the rest stay where they run), and
 * moves a member's partitions once it leaves (a clean stop) or misses its heartbeats for {@code cluster.session-timeout}
 * (kill -9, a frozen process, a lost network).
 *
 * <p>{@link Listener#activate} runs when this node is given a shard, {@link Listener#deactivate} when it gives it up, on
 * the polling thread, one shard after the other: the next node is given a shard only once {@code deactivate} has
 * returned, except when this one stopped answering (then it is fenced by the journal's epochs, {@link JournalTopic}).
 */
public final class ActiveMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveMember.class);
    private static final Duration REJOIN_AFTER = Duration.ofSeconds(5);
    private static final String PREFIX = "smppgw-";
    private static final String SUFFIX = "-active";

    /** What this node does when it is given a shard to run (with one shard: becomes the active node), and when it gives it up. */
    public interface Listener {
        /**
         * @param shard 0 to the number of shards - 1
         * @return whether it could start; if not, this node leaves the group for a while (giving up the shards it runs)
         * so that another may
         */
        boolean activate(int shard);

        void deactivate(int shard);
    }

    private final KafkaStoreConfig config;
    private final Listener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    /** The shards this node runs now (written by the polling thread only). */
    private final java.util.Set<Integer> owned = new java.util.concurrent.ConcurrentSkipListSet<>();
    private boolean failed;
    private final int shardCount;

    private ActiveMember(KafkaStoreConfig config, int shards, String url, Listener listener) {
        this.config = config;
        this.shardCount = shards;
        this.listener = listener;
        Properties p = JournalTopic.common(config);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.activeTopic());
        // the member's client id is how the others learn its node id and where its HTTP API is (see members)
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, PREFIX + config.nodeId() + SUFFIX + (url == null ? "" : "@" + url));
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"); // the protocol whose session timeout a client sets
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1000, config.sessionTimeout().toMillis() / 4));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()); // the active stays active
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) TimeUnit.MINUTES.toMillis(30)); // activate may restore a long journal
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "smppgw-failover-" + config.failoverGroup());
    }

    /**
     * Joins the group and starts polling, for a failover group's one shard.
     *
     * @param url where the other nodes reach this node ({@code http://host:port}, then {@code ,smpp://host:port} when it has an SMPP
     *            server), published with its membership
     * @throws IllegalStateException Kafka cannot be reached
     */
    public static ActiveMember join(KafkaStoreConfig config, String url, Listener listener) {
        return join(config, 1, url, listener);
    }

    /**
     * Joins the group and starts polling.
     *
     * @param shards how many shards the group has: the partitions of its topic, made so by the first node to join
     * @throws IllegalStateException Kafka cannot be reached, or the group's topic has another number of partitions (its shards
     *                               are fixed when it is made)
     */
    public static ActiveMember join(KafkaStoreConfig config, int shards, String url, Listener listener) {
        ensureTopic(config, shards);
        ActiveMember m = new ActiveMember(config, shards, url, listener);
        m.thread.start();
        LOG.info("node {} joined failover group {} (Kafka {}, {} shard(s)): standing by until it is given one", config.nodeId(),
                config.failoverGroup(), config.bootstrap(), shards);
        return m;
    }

    /** Whether this node runs a shard now (with one shard: is the active node). */
    public boolean active() {
        return !owned.isEmpty();
    }

    /** The shards this node runs now, in order. */
    public List<Integer> shards() {
        return List.copyOf(owned);
    }

    private void run() {
        ConsumerRebalanceListener rebalance = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                List<TopicPartition> starting = partitions.stream().filter(tp -> !failed && !owned.contains(tp.partition())).toList();
                starting.forEach(tp -> LOG.warn("node {} is now the active node of failover group {}{}", config.nodeId(), config.failoverGroup(), shard(tp)));
                // shards start side by side (each has its own journal, directory and topic): a node given a leaving node's
                // shards serves all of them sooner; the assignment completes once each has started or failed to
                List<java.util.concurrent.CompletableFuture<Boolean>> started = starting.stream().map(tp -> starting.size() == 1
                        ? java.util.concurrent.CompletableFuture.completedFuture(start(tp.partition()))
                        : java.util.concurrent.CompletableFuture.supplyAsync(() -> start(tp.partition()), r -> {
                            Thread t = new Thread(r, "smppgw-shard-start-" + tp.partition());
                            t.start();
                        })).toList();
                for (int i = 0; i < starting.size(); i++) {
                    if (started.get(i).join()) {
                        owned.add(starting.get(i).partition());
                    } else {
                        failed = true; // it could not start: it leaves the group for a while (see run)
                    }
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                stepDown(partitions, "it gives the role up");
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                stepDown(partitions, "its session with Kafka expired (another node may be active)");
            }
        };
        try {
            consumer.subscribe(List.of(config.activeTopic()), rebalance);
            while (running) {
                try {
                    if (failed) { // it could not start, or could not tell it still was active: another node may be
                        LOG.error("node {} leaves failover group {} for {} s, so that another node may be the active one", config.nodeId(),
                                config.failoverGroup(), REJOIN_AFTER.toSeconds());
                        consumer.unsubscribe(); // gives up every shard it runs (onPartitionsRevoked)
                        stepDownAll("it leaves the group for a while");
                        failed = false;
                        Thread.sleep(REJOIN_AFTER.toMillis());
                        consumer.subscribe(List.of(config.activeTopic()), rebalance);
                    }
                    consumer.poll(Duration.ofMillis(500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                } catch (WakeupException e) {
                    // close() wants the loop to end
                } catch (RuntimeException e) {
                    LOG.error("failover group {}: {}", config.failoverGroup(), e.toString());
                    if (active()) { // not knowing whether it still is, it stops (the journal's fence would stop it anyway) and leaves
                        stepDownAll("it cannot tell it still is");
                        failed = true;
                    } else {
                        sleep();
                    }
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(30)); // leaves the group: another node becomes active without waiting
            } catch (RuntimeException e) {
                LOG.warn("failover group {}: leaving: {}", config.failoverGroup(), e.toString());
            }
            stepDownAll("it stops");
        }
    }

    private boolean start(int shard) {
        try {
            return listener.activate(shard);
        } catch (RuntimeException e) {
            LOG.error("node {}: shard {} could not start: {}", config.nodeId(), shard, e.toString(), e);
            return false;
        }
    }

    private String shard(TopicPartition tp) {
        return shardCount == 1 ? "" : " for shard " + tp.partition();
    }

    private void stepDown(Collection<TopicPartition> partitions, String how) {
        for (TopicPartition tp : partitions) {
            if (owned.remove(tp.partition())) {
                LOG.warn("node {} is no longer the active node of failover group {}{}: {}", config.nodeId(), config.failoverGroup(),
                        shard(tp), how);
                listener.deactivate(tp.partition());
            }
        }
    }

    private void stepDownAll(String how) {
        stepDown(owned.stream().map(p -> new TopicPartition(config.activeTopic(), p)).toList(), how);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000); // Kafka unreachable: polled again a moment later
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops being active (if it was: {@code deactivate} on the polling thread), then leaves the group. */
    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A node of the failover group as Kafka's group coordinator sees it.
     *
     * @param host the address Kafka sees it connect from
     * @param url  where its HTTP API is, as it published it (null from a node that did not)
     * @param smpp where its SMPP server is ({@code host:port}), or null when it has none
     * @param shards the shards it runs, in order (with one shard: {@code [0]} for the active node, empty for a standby)
     * @param link where its node link listens ({@code host:port}, a sharded group's), or null when it has none
     */
    public record Member(String nodeId, String host, String url, String smpp, List<Integer> shards, String link) {
        public Member {
            shards = List.copyOf(shards);
        }

        /** Without a node link. */
        public Member(String nodeId, String host, String url, String smpp, List<Integer> shards) {
            this(nodeId, host, url, smpp, shards, null);
        }

        /** Whether it runs a shard (with one shard: is the active node). */
        public boolean active() {
            return !shards.isEmpty();
        }
    }

    /**
     * The nodes in the failover group now (from the group coordinator; a node killed is listed until its session
     * expires), or the reason they cannot be told.
     */
    public static List<Member> members(KafkaStoreConfig c) {
        try (Watch w = new Watch(c)) {
            return w.members();
        }
    }

    /** Asks Kafka's group coordinator, as often as wanted over one connection, which nodes the group has and which is active. */
    public static final class Watch implements AutoCloseable {
        private final KafkaStoreConfig c;
        private final Admin admin;

        public Watch(KafkaStoreConfig c) {
            this.c = c;
            this.admin = Admin.create(JournalTopic.common(c));
        }

        /** @throws IllegalStateException Kafka cannot tell within 10 s */
        public List<Member> members() {
            try {
                var d = admin.describeConsumerGroups(List.of(c.activeTopic())).describedGroups().get(c.activeTopic()).get(10, TimeUnit.SECONDS);
                return d.members().stream().map(m -> member(m.clientId(), m.host(), m.assignment().topicPartitions().stream()
                                .map(TopicPartition::partition).sorted().toList()))
                        .sorted(java.util.Comparator.comparing(Member::nodeId)).toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking Kafka", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot describe group " + c.activeTopic() + ": "
                        + (e.getCause() == null ? e : e.getCause()), e);
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /**
     * A member from its client id: {@code smppgw-<node>-active}, or with {@code @<url>[,smpp://<host:port>][,link://<host:port>]}
     * after it.
     */
    static Member member(String clientId, String host, List<Integer> shards) {
        int at = clientId.indexOf('@');
        String name = at < 0 ? clientId : clientId.substring(0, at);
        String url = null;
        String smpp = null;
        String link = null;
        for (String a : at < 0 ? new String[0] : clientId.substring(at + 1).split(",")) {
            if (a.startsWith("smpp://")) {
                smpp = a.substring("smpp://".length());
            } else if (a.startsWith("link://")) {
                link = a.substring("link://".length());
            } else if (a.startsWith("http://") || a.startsWith("https://")) {
                url = a;
            }
        }
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() <= PREFIX.length() + SUFFIX.length()) {
            return new Member(clientId, host, null, null, shards); // not a node of smppgw's
        }
        return new Member(name.substring(PREFIX.length(), name.length() - SUFFIX.length()), host, url, smpp, shards, link);
    }

    private static void ensureTopic(KafkaStoreConfig c, int shards) {
        try (Admin admin = Admin.create(JournalTopic.common(c))) {
            try {
                admin.createTopics(List.of(new NewTopic(c.activeTopic(), shards, (short) c.replicationFactor())
                        .configs(Map.of("min.insync.replicas", String.valueOf(c.minInsyncReplicas()))))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot create topic " + c.activeTopic() + ": " + e.getCause(), e.getCause());
                }
                int has = JournalTopic.partitions(admin, c.activeTopic());
                if (has != shards) {
                    throw new IllegalStateException("failover group " + c.failoverGroup() + " was made with " + has + " shard(s) (Kafka topic "
                            + c.activeTopic() + "), this node was started with " + shards + ": a group's shards are fixed when it is made");
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot describe topic " + c.activeTopic() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot create topic " + c.activeTopic() + " within 30 s", e);
        }
    }
}
