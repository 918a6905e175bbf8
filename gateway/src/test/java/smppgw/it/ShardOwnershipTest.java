package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import smppgw.config.KafkaStoreConfig;
import smppgw.store.kafka.ActiveMember;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.KafkaCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group of several shards over a real 3-broker Kafka: each shard runs on exactly one node at a time, a node that leaves
 * hands its shards to the others only after it has given them up, the others keep what they ran (cooperative sticky
 * assignment), a node that comes back is given its share again, and a node started with another number of shards is
 * refused. The failover group is the one-shard case of the same membership (its tests: {@code KafkaTakeoverIT},
 * {@code FailoverFrontTest}, {@code WarmStandbyTest}).
 */
class ShardOwnershipTest {
    private static final int SHARDS = 6;

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    /** Which node runs each shard, as the nodes' listeners were told. */
    private final Map<Integer, String> runs = new ConcurrentHashMap<>();
    /** A shard told to start on a node while another ran it, or told to stop on a node that did not run it. */
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<ActiveMember> members = new ArrayList<>();

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(members.toArray(AutoCloseable[]::new));
    }

    private KafkaStoreConfig config(String node) {
        return new KafkaStoreConfig(kafka.bootstrap(), prefix, 3, 2, false, Duration.ofSeconds(10), node, "g", Duration.ofSeconds(6), null);
    }

    private ActiveMember join(String node, int shards) {
        ActiveMember m = ActiveMember.join(config(node), shards, "http://127.0.0.1:1", new ActiveMember.Listener() {
            @Override
            public boolean activate(int shard) {
                String was = runs.putIfAbsent(shard, node);
                if (was != null) {
                    violations.add("shard " + shard + " started on " + node + " while " + was + " ran it");
                }
                return true;
            }

            @Override
            public void deactivate(int shard) {
                if (!runs.remove(shard, node)) {
                    violations.add("shard " + shard + " stopped on " + node + ", which did not run it (" + runs.get(shard) + " did)");
                }
            }
        });
        members.add(m);
        return m;
    }

    private Map<String, Set<Integer>> byNode() {
        Map<String, Set<Integer>> m = new TreeMap<>();
        runs.forEach((shard, node) -> m.computeIfAbsent(node, n -> new TreeSet<>()).add(shard));
        return m;
    }

    private void awaitSpread(Set<String> nodes, int each) {
        Await.until(Duration.ofSeconds(60), () -> {
            Map<String, Set<Integer>> m = byNode();
            return runs.size() == SHARDS && m.keySet().equals(nodes) && m.values().stream().allMatch(s -> s.size() == each);
        }, () -> "shards by node: " + byNode() + ", violations: " + violations);
    }

    @Test
    void eachShardRunsOnOneNodeAndMovesOnlyWhenItsNodeLeaves() {
        ActiveMember a = join("a", SHARDS);
        Await.until(Duration.ofSeconds(60), () -> runs.size() == SHARDS, () -> "shards run: " + runs);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), a.shards(), "alone, a node runs every shard");
        ActiveMember b = join("b", SHARDS);
        join("c", SHARDS);
        awaitSpread(Set.of("a", "b", "c"), 2);
        Map<String, Set<Integer>> before = byNode();
        assertEquals(List.copyOf(before.get("b")), b.shards());

        List<ActiveMember.Member> seen = ActiveMember.members(config("a"));
        Map<String, Set<Integer>> told = new TreeMap<>();
        seen.forEach(m -> told.put(m.nodeId(), new TreeSet<>(m.shards())));
        assertEquals(before, told, "the group coordinator tells every node which shards each runs");
        assertTrue(seen.stream().allMatch(m -> "http://127.0.0.1:1".equals(m.url()) && m.active()), seen.toString());

        b.close(); // a clean stop: b gives its shards up before the others are given them
        members.remove(b);
        awaitSpread(Set.of("a", "c"), 3);
        Map<String, Set<Integer>> after = byNode();
        assertTrue(after.get("a").containsAll(before.get("a")) && after.get("c").containsAll(before.get("c")),
                "a and c keep the shards they ran: " + before + " -> " + after);

        join("b", SHARDS); // back: given two shards, taken from the others, which keep the rest
        awaitSpread(Set.of("a", "b", "c"), 2);
        Map<String, Set<Integer>> again = byNode();
        assertTrue(after.get("a").containsAll(again.get("a")) && after.get("c").containsAll(again.get("c")),
                "a and c gave up shards and started none: " + after + " -> " + again);
        assertEquals(List.of(), violations);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> join("d", 3));
        assertTrue(refused.getMessage().contains("made with 6 shard(s)"), refused.getMessage());
    }
}
