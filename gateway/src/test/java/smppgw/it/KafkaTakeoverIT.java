package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine dies with its disk: the gateway ({@code bin/smppgw run}, {@code store.type: kafka}) is killed with
 * kill -9 while messages are accepted, submitted and receipted, and the same node starts on another, empty data
 * directory (a standby machine). It gets its journal back from Kafka, and every message that was answered 202 reaches
 * DELIVERED; what the dead one had on the wire is sent at most twice.
 *
 * <p>And the same without anyone starting anything: two machines in one failover group ({@code cluster.failover-group}),
 * each {@code bin/smppgw run} in its own process on its own data directory, one active, the other standing by with no
 * listener and no bind. The active one is killed with kill -9 under load; the standby becomes active by itself. The
 * killed one comes back as the standby; when the active one stops, it takes over again, its own (now stale) journal
 * set aside for the group's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaTakeoverIT {
    private static final int WINDOW = 50;
    private static final int BINDS = 2;

    @TempDir
    Path dir;
    private SmscSimulator sim;
    private KafkaCluster kafka;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config(String name, String dataDir, int httpPort, int smsc) throws Exception {
        Path config = dir.resolve(name);
        Files.writeString(config, "data-dir: " + dir.resolve(dataDir) + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "'}}\ncluster: {node-id: gw1}\n"
                + "operators:\n" + Configs.operator("op", null, true, smsc, BINDS, WINDOW));
        return config;
    }

    @Test
    void everyAcceptedMessageIsDeliveredByTheNodeThatTakesOverAnEmptyDataDirectory() throws Exception {
        kafka = KafkaCluster.start(dir.resolve("kafka"), 3);
        int smsc = Ports.free();
        int httpPort = Ports.free();
        // receipts 1.5 s after the submit: many are still owed when the first machine dies
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1500ms\n")).startUnchecked();
        Http http = new Http(httpPort);
        Set<String> accepted = ConcurrentHashMap.newKeySet();

        GatewayProcess first = GatewayProcess.start(config("a.yaml", "a", httpPort, smsc), dir.resolve("a.log"));
        try {
            first.awaitHealthy(http, Duration.ofSeconds(60));
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 5000 && accepted.size() < 800; i++) {
                inFlight.acquire();
                posts.add(http.postAsync("/v1/messages", "{\"to\":\"+336" + String.format("%08d", i) + "\",\"from\":\"ACME\",\"text\":\"takeover\"}")
                        .thenAccept(r -> {
                            if (r.status() == 202) {
                                accepted.add(r.body().get("id").asText());
                            }
                        }).whenComplete((v, e) -> inFlight.release()));
            }
            first.kill(); // kill -9 while submits and receipts are in flight; its data directory is not used again
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        } finally {
            first.close();
        }
        long sentByFirst = sim.stats().submits.get();

        GatewayProcess second = GatewayProcess.start(config("b.yaml", "b", httpPort, smsc), dir.resolve("b.log"));
        try {
            second.awaitHealthy(http, Duration.ofSeconds(90));
            assertTrue(second.logText().contains("restored"), "the journal came back from Kafka");
            Await.until(Duration.ofSeconds(120), () -> accepted.stream().allMatch(id -> http.delivered(id)),
                    () -> accepted.stream().filter(id -> !http.delivered(id)).count() + " of " + accepted.size() + " not delivered");
            long sent = sim.stats().submits.get();
            long duplicates = sent - accepted.size();
            System.out.printf("takeover: %d accepted, %d submitted by the first node before kill -9, all %d DELIVERED by the second, %d submits, %d sent twice (bound %d)%n",
                    accepted.size(), sentByFirst, accepted.size(), sent, duplicates, WINDOW * BINDS);
            assertTrue(accepted.size() >= 700, "enough messages were accepted to make the test mean something: " + accepted.size());
            assertTrue(duplicates >= 0 && duplicates <= WINDOW * BINDS, duplicates + " duplicates exceed the bound of window x binds");
            assertEquals(0, second.terminate(Duration.ofSeconds(30)));
        } finally {
            second.close();
        }
    }

    private Path groupConfig(String node, int httpPort, int smsc) throws Exception {
        Path config = dir.resolve(node + ".yaml");
        Files.writeString(config, "data-dir: " + dir.resolve(node) + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "'}}\n"
                + "cluster: {node-id: " + node + ", failover-group: main, session-timeout: 6s}\n"
                + "operators:\n" + Configs.operator("op", null, true, smsc, BINDS, WINDOW));
        return config;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theStandbyTakesOverAKilledActiveNodeAndEveryAcceptedMessageIsDelivered() throws Exception {
        kafka = KafkaCluster.start(dir.resolve("kafka"), 3);
        int smsc = Ports.free();
        int portA = Ports.free();
        int portB = Ports.free();
        // receipts 1.5 s after the submit: many are still owed when the active node dies
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1500ms\n")).startUnchecked();
        Http httpA = new Http(portA);
        Http httpB = new Http(portB);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Path configA = groupConfig("a", portA, smsc);

        GatewayProcess a = GatewayProcess.start(configA, dir.resolve("a.log"));
        GatewayProcess b = null;
        GatewayProcess aAgain = null;
        try {
            a.awaitHealthy(httpA, Duration.ofSeconds(60));
            b = GatewayProcess.start(groupConfig("b", portB, smsc), dir.resolve("b.log"));
            GatewayProcess standby = b;
            Await.until(Duration.ofSeconds(60), () -> standby.logText().contains("joined failover group main"), () -> "b did not join");
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 5000 && accepted.size() < 800; i++) {
                inFlight.acquire();
                posts.add(httpA.postAsync("/v1/messages", "{\"to\":\"+336" + String.format("%08d", i) + "\",\"from\":\"ACME\",\"text\":\"failover\"}")
                        .thenAccept(r -> {
                            if (r.status() == 202) {
                                accepted.add(r.body().get("id").asText());
                            }
                        }).whenComplete((v, e) -> inFlight.release()));
            }
            assertFalse(listening(portB), "the standby serves nothing while a is active");
            a.kill(); // kill -9 while submits and receipts are in flight
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
            long sentByA = sim.stats().submits.get();

            long t0 = System.nanoTime();
            b.awaitHealthy(httpB, Duration.ofSeconds(90)); // nobody told it: Kafka's group did, after the session timeout
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(b.logText().contains("is now the active node of failover group main"), "b became active");
            Await.until(Duration.ofSeconds(120), () -> accepted.stream().allMatch(id -> httpB.delivered(id)),
                    () -> accepted.stream().filter(id -> !httpB.delivered(id)).count() + " of " + accepted.size() + " not delivered");
            long duplicates = sim.stats().submits.get() - accepted.size();
            System.out.printf("failover group: %d accepted by a, %d submitted by a before kill -9, b active %d ms after it, all DELIVERED, "
                    + "%d sent twice (bound %d)%n", accepted.size(), sentByA, takeoverMs, duplicates, WINDOW * BINDS);
            assertTrue(accepted.size() >= 700, "enough messages were accepted to make the test mean something: " + accepted.size());
            assertTrue(duplicates >= 0 && duplicates <= WINDOW * BINDS, duplicates + " duplicates exceed the bound of window x binds");

            // a comes back on its own data directory: b stays active, a stands by
            aAgain = GatewayProcess.start(configA, dir.resolve("a2.log"));
            GatewayProcess back = aAgain;
            Await.until(Duration.ofSeconds(60), () -> back.logText().contains("joined failover group main"), () -> "a did not join again");
            List<String> onB = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Http.Response r = httpB.post("/v1/messages", "{\"to\":\"+337" + String.format("%08d", i) + "\",\"from\":\"ACME\",\"text\":\"on b\"}");
                assertEquals(202, r.status(), r.body()::toString);
                onB.add(r.body().get("id").asText());
            }
            assertFalse(listening(portA), "a stands by while b is active");
            Http adminB = Http.admin(dir.resolve("b"), portB);
            Await.until(Duration.ofSeconds(30), () -> adminB.get("/admin/status").body().path("replication").path("failover_group").path("nodes").toString()
                            .equals("[{\"node_id\":\"a\",\"host\":\"/127.0.0.1\",\"role\":\"standby\"},{\"node_id\":\"b\",\"host\":\"/127.0.0.1\",\"role\":\"active\"}]"),
                    () -> "status shows " + adminB.get("/admin/status").body().path("replication").path("failover_group"));

            // b stops cleanly: a takes over at once, its own journal (which ends before b's records) set aside for the group's
            assertEquals(0, b.terminate(Duration.ofSeconds(60)));
            aAgain.awaitHealthy(httpA, Duration.ofSeconds(60));
            assertTrue(aAgain.logText().contains("set aside"), "a's stale journal was replaced by the group's");
            Await.until(Duration.ofSeconds(60), () -> onB.stream().allMatch(id -> httpA.delivered(id)),
                    () -> onB.stream().filter(id -> !httpA.delivered(id)).count() + " of the messages b accepted not delivered");
            assertTrue(accepted.stream().allMatch(id -> httpA.delivered(id)), "what a accepted first is still DELIVERED");
            assertTrue(sim.stats().submits.get() - accepted.size() - onB.size() <= WINDOW * BINDS, "nothing sent again on the way back");
            assertEquals(0, aAgain.terminate(Duration.ofSeconds(60)));
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
            if (aAgain != null) {
                aAgain.close();
            }
        }
    }

    @Test
    void aFrozenActiveNodeIsTakenOverAndStepsDownWhenItThawsWithNothingAcceptedLost() throws Exception {
        kafka = KafkaCluster.start(dir.resolve("kafka"), 3);
        int smsc = Ports.free();
        int portA = Ports.free();
        int portB = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1500ms\n")).startUnchecked();
        Http httpA = new Http(portA);
        Http httpB = new Http(portB);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        GatewayProcess a = GatewayProcess.start(groupConfig("a", portA, smsc), dir.resolve("a.log"));
        GatewayProcess b = null;
        try {
            a.awaitHealthy(httpA, Duration.ofSeconds(60));
            b = GatewayProcess.start(groupConfig("b", portB, smsc), dir.resolve("b.log"));
            GatewayProcess standby = b;
            Await.until(Duration.ofSeconds(60), () -> standby.logText().contains("joined failover group main"), () -> "b did not join");
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 5000 && accepted.size() < 600; i++) {
                inFlight.acquire();
                posts.add(httpA.postAsync("/v1/messages", "{\"to\":\"+336" + String.format("%08d", i) + "\",\"from\":\"ACME\",\"text\":\"frozen\"}")
                        .thenAccept(r -> {
                            if (r.status() == 202) {
                                accepted.add(r.body().get("id").asText());
                            }
                        }).whenComplete((v, e) -> inFlight.release()));
            }
            a.freeze(); // SIGSTOP with requests, submits and receipts in flight: its sockets stay open, it answers nothing
            b.awaitHealthy(httpB, Duration.ofSeconds(90));
            List<String> onB = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Http.Response r = httpB.post("/v1/messages", "{\"to\":\"+337" + String.format("%08d", i) + "\",\"from\":\"ACME\",\"text\":\"on b\"}");
                assertEquals(202, r.status(), r.body()::toString);
                onB.add(r.body().get("id").asText());
            }
            a.thaw(); // it goes on as if no time had passed: Kafka tells it the role is gone, the journal's fence stops its writes
            Await.until(Duration.ofSeconds(60), () -> a.logText().contains("is no longer the active node of failover group main") && !listening(portA),
                    () -> "a did not step down");
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
            accepted.addAll(onB);
            Await.until(Duration.ofSeconds(120), () -> accepted.stream().allMatch(id -> httpB.delivered(id)),
                    () -> accepted.stream().filter(id -> !httpB.delivered(id)).count() + " of " + accepted.size() + " not delivered");
            long duplicates = sim.stats().submits.get() - accepted.size();
            System.out.printf("frozen active: %d accepted (100 of them by b), all DELIVERED, %d sent twice (bound %d: what a had on the wire, "
                    + "and what it sent after thawing before its next journal write)%n", accepted.size(), duplicates, 2 * WINDOW * BINDS);
            assertTrue(duplicates >= 0 && duplicates <= 2 * WINDOW * BINDS, duplicates + " duplicates exceed the bound");
            assertTrue(listening(portB), "b is still the active node");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }
}
