package smppgw.testing;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A real Kafka cluster for tests: three KRaft nodes (each broker and controller) in this JVM, from the Maven Central
 * jars (DEPENDENCIES.md's recipe), on free loopback ports, with their logs under a temporary directory. A node can be
 * shut down mid-test and started again on the same directory.
 */
public final class KafkaCluster implements AutoCloseable {
    private final Path dir;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final KafkaRaftServer[] servers;
    private final String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();

    private KafkaCluster(Path dir, int nodes) {
        this.dir = dir;
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        this.servers = new KafkaRaftServer[nodes];
        for (int i = 0; i < nodes; i++) {
            brokerPorts[i] = Ports.free();
            controllerPorts[i] = Ports.free();
        }
    }

    static {
        // a broker that cannot go on (its port taken, its log directory failed) asks to end the process: in a test JVM
        // that would end every test with it ("The forked VM terminated"); it fails the test that started it instead
        org.apache.kafka.common.utils.internals.Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to exit(" + code + "): " + message);
        });
        org.apache.kafka.common.utils.internals.Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Kafka asked to halt(" + code + "): " + message);
        });
    }

    private static final java.util.concurrent.atomic.AtomicInteger PREFIXES = new java.util.concurrent.atomic.AtomicInteger();
    private static KafkaCluster shared;

    /**
     * The three-node cluster every test class of this JVM shares (started by the first to ask, stopped with the JVM):
     * starting and stopping one costs ~7 s, and a test run has many. A node a test stopped and failed to start again is
     * started before this returns. Tests sharing it keep apart by {@link #prefix()}; they must not close it.
     */
    public static synchronized KafkaCluster shared() throws Exception {
        if (shared == null) {
            Path dir = Files.createTempDirectory("smppgw-kafka");
            shared = start(dir, 3);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        }
        for (int i = 0; i < shared.servers.length; i++) {
            if (shared.servers[i] == null) {
                shared.restart(i);
            }
        }
        return shared;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // the JVM is ending; a temporary directory left behind is all that can come of it
        }
    }

    /** Stops the shared cluster (a test class run alone in its JVM with others that do not need it); the next {@link #shared()} starts one. */
    public static synchronized void closeShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    /** A topic prefix no other test of this JVM uses ({@code store.kafka.topic-prefix}: topics and groups apart). */
    public static String prefix() {
        return "t" + PREFIXES.incrementAndGet();
    }

    /** Formats and starts {@code nodes} nodes in parallel; returns once all have started. */
    public static KafkaCluster start(Path dir, int nodes) throws Exception {
        KafkaCluster c = new KafkaCluster(dir, nodes);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            c.format(i);
            int n = i;
            all.add(CompletableFuture.runAsync(() -> c.startNode(n)));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** {@code host:port,...} of every node (the ones down included: clients skip them). */
    /** The broker (node id, from 1) leading partition 0 of {@code topic}. */
    public int leader(String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS).get(topic)
                    .partitions().get(0).leader().id();
        }
    }

    public String bootstrap() {
        return java.util.Arrays.stream(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** Shuts node {@code i} down (its directory stays). */
    public void stop(int i) {
        KafkaRaftServer s = servers[i];
        servers[i] = null;
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /** Starts node {@code i} again on its directory. */
    public void restart(int i) {
        startNode(i);
    }

    private Properties props(int i) {
        Properties p = new Properties();
        String voters = java.util.stream.IntStream.range(0, controllerPorts.length)
                .mapToObj(n -> (n + 1) + "@127.0.0.1:" + controllerPorts[n]).collect(Collectors.joining(","));
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(i + 1));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[i] + ",CONTROLLER://127.0.0.1:" + controllerPorts[i]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[i]);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("node" + (i + 1)).toString());
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("offsets.topic.num.partitions", "5");
        p.put("offsets.topic.replication.factor", String.valueOf(Math.min(3, brokerPorts.length)));
        p.put("transaction.state.log.replication.factor", String.valueOf(Math.min(3, brokerPorts.length)));
        p.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokerPorts.length)));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.io.threads", "2");
        p.put("num.network.threads", "2");
        p.put("num.partitions", "1");
        return p;
    }

    private void format(int i) throws IOException {
        Path file = dir.resolve("node" + (i + 1) + ".properties");
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(file)) {
            props(i).store(w, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[]{"format", "-t", clusterId, "-c", file.toString()}, new PrintStream(out, true));
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka node " + (i + 1) + " failed: " + out);
        }
    }

    private void startNode(int i) {
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props(i), false), Time.SYSTEM);
        s.startup();
        servers[i] = s;
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            int n = i;
            all.add(CompletableFuture.runAsync(() -> stop(n)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
}
