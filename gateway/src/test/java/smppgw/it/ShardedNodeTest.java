package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.config.GatewayConfig;
import smppgw.daemon.ShardedNode;
import smppgw.intake.Intake;
import smppgw.model.AcceptResult;
import smppgw.model.MessageView;
import smppgw.route.Shards;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes of a sharded group over a real 3-broker Kafka, each running the core of every shard it is given: each shard's
 * messages are in its own journal (its own data directory and Kafka topic), and when a shard moves to another node its
 * core there starts with every message the shard accepted — restored from the topic by a node that never ran it,
 * caught up by a node that ran it before.
 */
class ShardedNodeTest {
    private static final int SHARDS = 4;

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private final List<ShardedNode> nodes = new ArrayList<>();

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(nodes.toArray(AutoCloseable[]::new));
    }

    private ShardedNode node(String name) {
        Path dir = tmp.resolve(name);
        int port = Ports.free();
        ShardedNode n = ShardedNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + port + "}\n"
                + "log: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: false}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: 1, system-id: gw, password: pw, count: 2}]\n",
                dir), Clock.systemUTC(), SHARDS);
        nodes.add(n);
        return n;
    }

    /** Accepts one message per number on the node running its shard; returns number → id. */
    private static Map<String, String> send(List<ShardedNode> on, String prefix, int n) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String to = "+3361" + prefix + String.format("%05d", i);
            int shard = Shards.of(to, SHARDS);
            Intake intake = on.stream().map(x -> x.intake(shard)).flatMap(java.util.Optional::stream).findFirst()
                    .orElseThrow(() -> new AssertionError("no node runs shard " + shard));
            AcceptResult r = intake.accept(List.of(intake.validate(new Intake.Request("", to, "Shop", "hello " + to, null, null)))).get().get(0);
            assertTrue(r.stored(), r.toString());
            assertEquals(shard, smppgw.model.Ids.shardOf(r.id()), r.id() + " carries its shard");
            ids.put(to, r.id());
        }
        return ids;
    }

    /** Every message is found, as accepted, in the store of its shard on the node that runs the shard now, and only there. */
    private static void assertEachInItsShard(List<ShardedNode> on, Map<String, String> ids) {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            int shard = Shards.of(e.getKey(), SHARDS);
            List<MessageView> found = new ArrayList<>();
            for (ShardedNode n : on) {
                for (int s : n.shards()) {
                    n.store(s).flatMap(st -> st.find(e.getValue())).ifPresent(v -> {
                        assertEquals(shard, s, e.getKey() + " found in shard " + s);
                        found.add(v);
                    });
                }
            }
            assertEquals(1, found.size(), e.getKey() + " " + e.getValue() + " found " + found.size() + " times");
            assertEquals(e.getKey(), found.get(0).message().to());
            assertEquals("hello " + e.getKey(), found.get(0).message().text());
        }
    }

    private static void awaitShards(Map<ShardedNode, Integer> each) {
        Await.until(Duration.ofSeconds(90), () -> each.entrySet().stream().allMatch(e -> e.getKey().shards().size() == e.getValue())
                        && each.keySet().stream().mapToInt(n -> n.shards().size()).sum() == SHARDS,
                () -> "shards: " + each.keySet().stream().map(n -> n.shards().toString()).toList());
    }

    @Test
    void aShardsMessagesGoWhereverTheShardRuns() throws Exception {
        ShardedNode a = node("a");
        awaitShards(Map.of(a, SHARDS));
        Map<String, String> ids = send(List.of(a), "0", 200);
        Set<Integer> used = new HashSet<>();
        ids.keySet().forEach(to -> used.add(Shards.of(to, SHARDS)));
        assertEquals(SHARDS, used.size(), "200 numbers fall in every shard");
        for (int s = 0; s < SHARDS; s++) {
            assertTrue(Files.isDirectory(tmp.resolve("a/shards/" + s + "/journal")), "shard " + s + "'s journal in its own directory");
        }

        ShardedNode b = node("b"); // b is given half of the shards: their cores close on a, and b restores them from their topics
        awaitShards(Map.of(a, 2, b, 2));
        for (int s : b.shards()) {
            assertFalse(a.shards().contains(s));
            assertTrue(Files.isDirectory(tmp.resolve("b/shards/" + s + "/journal")));
        }
        assertEachInItsShard(List.of(a, b), ids);
        ids.putAll(send(List.of(a, b), "1", 200)); // each node takes its shards' messages

        b.close(); // b's shards go back to a, whose journals of them stop where a gave them up: a catches up from the topics
        nodes.remove(b);
        awaitShards(Map.of(a, SHARDS));
        assertEachInItsShard(List.of(a), ids);
        ids.putAll(send(List.of(a), "2", 40));
        assertEquals(440, new HashSet<>(ids.values()).size(), "every id once");
    }
}
