package smppgw.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import smppgw.model.MessageState;
import smppgw.route.Shards;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.Integrators;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance run for a sharded group (docs/cluster.md, "Step 2 revisited"): three {@code bin/smppgw run}
 * processes sharing six shards over a real 3-broker Kafka, two operators on two simulators with scripted outcomes (one with
 * text-only receipts and the hex/decimal id quirk) delivering receipts round-robin over every bind of the account — so on
 * any node — and integrators (8 connections) posting 10,000 messages with a {@code client_ref} each over the three addresses, trying the next
 * address on no answer or 503. A node is killed with kill -9 a third of the way in, the broker leading a shard's journal
 * is shut down two thirds of the way in.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ShardedClusterIT {
    private static final int WINDOW = 50;
    private static final int BINDS = 3;
    private static final int SHARDS = 6;

    @TempDir
    Path dir;
    private final String prefix = KafkaCluster.prefix();

    @AfterAll
    static void stopKafka() {
        KafkaCluster.closeShared();
    }

    private Path config(KafkaCluster kafka, String node, int httpPort, String operators) throws Exception {
        Path config = dir.resolve(node + ".yaml");
        Files.writeString(config, "data-dir: " + dir.resolve(node) + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + node + ", failover-group: main, session-timeout: 6s, shards: " + SHARDS + "}\n"
                + "admin: {api-key: sharded-cluster-admin-0123}\n" // the same on every node: they hold each other's client_refs with it
                + "operators:\n" + operators);
        return config;
    }

    private static boolean healthy(Http http) {
        try {
            return http.get("/health").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The state of message {@code id} as the node at {@code http} tells it, or null. */
    private static String state(Http http, String id) {
        try {
            Http.Response r = http.get("/v1/messages/" + id);
            return r.status() == 200 ? r.body().path("state").asText() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String to(int i) {
        return (i % 2 == 0 ? "+336" : "+337") + String.format("%08d", i / 2); // each operator: numbers 0..4999
    }

    @Test
    void tenThousandMessagesOverTwoOperatorsReachTheirScriptedStatesThroughAKilledNodeAndALostBroker() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        int smscA = Ports.free();
        int smscB = Ports.free();
        SmscSimulator simA = new SmscSimulator(GatewayEndToEndTest.scriptedA(smscA, "800ms")).startUnchecked();
        SmscSimulator simB = new SmscSimulator(GatewayEndToEndTest.scriptedB(smscB, "300ms")).startUnchecked();
        String ops = Configs.operator("a", "+336", false, smscA, BINDS, WINDOW) + Configs.operator("b", "+337", true, smscB, BINDS, WINDOW);
        int[] ports = {Ports.free(), Ports.free(), Ports.free()};
        List<Http> http = List.of(new Http(ports[0]), new Http(ports[1]), new Http(ports[2]));
        GatewayProcess[] nodes = new GatewayProcess[3];
        int n = 10_000;
        try (simA; simB) {
            for (int k = 0; k < 3; k++) {
                String name = String.valueOf((char) ('a' + k));
                nodes[k] = GatewayProcess.start(config(kafka, name, ports[k], ops), dir.resolve(name + ".log"));
            }
            for (int k = 0; k < 3; k++) {
                int node = k;
                Await.until(Duration.ofSeconds(120), () -> healthy(http.get(node)), () -> "node " + node + " not serving:\n" + nodes[node].logText());
            }
            Await.until(Duration.ofSeconds(60), () -> simA.sessionCount() == BINDS && simB.sessionCount() == BINDS,
                    () -> "binds at the SMSCs: " + simA.sessionCount() + " " + simB.sessionCount());

            Integrators load = new Integrators(n, 8, http, i -> "{\"to\":\"" + to(i) + "\",\"from\":\"ACME\",\"text\":\"Bonjour " + i
                    + "\",\"client_ref\":\"r" + i + "\"}", () -> Await.until(Duration.ofSeconds(120),
                    () -> http.stream().anyMatch(ShardedClusterIT::healthy), () -> "no node serves"));
            String[] ids = load.ids;
            boolean[] triedAgain = load.triedAgain;
            long t0 = System.nanoTime();
            load.awaitAnswered(3_000, Duration.ofSeconds(180));
            long t3k = System.nanoTime();
            nodes[0].kill(); // kill -9 of node a a third of the way in: its shards and binds go to b and c
            load.awaitAnswered(6_000, Duration.ofSeconds(240));
            long t6k = System.nanoTime();
            int leader = kafka.leader(prefix + ".journal.main.0");
            kafka.stop(leader - 1); // then the broker leading shard 0's journal, two thirds of the way in
            load.awaitAll(Duration.ofSeconds(300));
            load.close();
            System.out.printf("sharded group: 3,000 answered in %.1f s, 3,000 more (node a killed) in %.1f s, the last 4,000 (a broker lost)"
                    + " in %.1f s%n", (t3k - t0) / 1e9, (t6k - t3k) / 1e9, (System.nanoTime() - t6k) / 1e9);

            long loaded = System.nanoTime();
            // every message, asked of the living nodes: each in its scripted state; what was sent again, under the id answered
            // for its client_ref
            List<Http> living = List.of(http.get(1), http.get(2));
            Map<MessageState, Integer> counts = new EnumMap<>(MessageState.class);
            ExecutorService askers = Executors.newFixedThreadPool(8);
            List<Future<MessageState>> states = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int m = i;
                states.add(askers.submit(() -> {
                    Http h = living.get(m % 2);
                    MessageState want = GatewayEndToEndTest.expected(to(m));
                    Await.until(Duration.ofSeconds(240), () -> want.name().equals(state(h, ids[m])),
                            () -> "r" + m + " to " + to(m) + " (shard " + Shards.of(to(m), SHARDS) + "): " + state(h, ids[m]) + ", not " + want);
                    if (triedAgain[m]) { // a request sent once makes one message at most; one sent again might have made two
                        Http.Response byRef = living.get((m + 1) % 2).get("/v1/messages?client_ref=r" + m);
                        assertEquals(200, byRef.status(), byRef.body()::toString);
                        assertEquals(ids[m], byRef.body().get("id").asText(), "r" + m + ": the message is the one whose id was answered");
                    }
                    return want;
                }));
            }
            for (Future<MessageState> f : states) {
                counts.merge(f.get(300, TimeUnit.SECONDS), 1, Integer::sum);
            }
            askers.shutdown();
            System.out.printf("sharded group: all final and checked %.1f s after the last answer%n", (System.nanoTime() - loaded) / 1e9);
            assertEquals(Map.of(MessageState.DELIVERED, 9_800, MessageState.UNDELIVERED, 50, MessageState.FAILED, 50,
                    MessageState.EXPIRED, 50, MessageState.REJECTED, 50), counts);
            long submits = simA.stats().submits.get() + simB.stats().submits.get(); // taken by the SMSCs: the 50 refused ones not among them
            long twice = submits - (n - 50);
            String inbound = http.get(1).getText("/metrics")[1].lines().filter(l -> l.startsWith("smppgw_inbound_"))
                    .reduce("", (x, y) -> x + " " + y);
            System.out.printf("sharded group: 10,000 over two operators posted to three nodes, through a kill -9 of node a and broker %d lost:"
                    + " all in their scripted states, %d requests tried again, %d submits taken, %d sent twice (bound %d); receipts"
                    + " refused: %d + %d; node b:%s%n", leader, load.retried.get(), submits, twice,
                    2 * WINDOW * BINDS, simA.stats().receiptsRefused.get(), simB.stats().receiptsRefused.get(), inbound);
            assertTrue(inbound.contains("kind=\"receipt\"") && !inbound.matches(".*smppgw_inbound_forwarded_total\\{kind=\"receipt\"} 0\\.0.*"),
                    "receipts on a bind of b for shards b does not run were forwarded: " + inbound);
            assertTrue(twice >= 0 && twice <= 2 * WINDOW * BINDS, twice + " sent twice: more than both operators' windows");
            assertEquals(BINDS, simA.sessionCount(), "the killed node's binds placed on the others, never more than configured");
            assertEquals(BINDS, simB.sessionCount());
        } finally {
            Closer.close(nodes);
        }
    }
}
