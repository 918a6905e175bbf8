package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.store.JournalTail;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.config.KafkaStoreConfig;
import smppgw.store.kafka.JournalTopic;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code store.type: kafka} against a real three-broker KRaft cluster in this JVM: every message answered 202 is in
 * Kafka (its journal record acknowledged by {@code min.insync.replicas} brokers) before the answer, a broker lost
 * mid-run loses nothing, a restart copies what it had not, and while Kafka cannot acknowledge, nothing is answered
 * as accepted.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaStoreTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();

    @BeforeEach
    void kafka() throws Exception {
        kafka = KafkaCluster.shared();
    }

    @AfterEach
    void stopKafka() {
        if (env.gateway() != null) {
            env.gateway().close(); // before the brokers: its last records still reach them
        }
    }

    private GatewayConfig config(String extra) {
        return env.config("store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + extra + "}}\n"
                + "cluster: {node-id: gw1}\n",
                "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw, count: 2}]\n");
    }

    @Test
    void everyAcceptedMessageIsInKafkaBeforeItsAnswerAndABrokerLostMidRunLosesNothing() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        GatewayConfig config = config("");
        Gateway gw = env.start(config);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            var d = admin.describeTopics(List.of(prefix + ".journal.gw1")).allTopicNames().get().get(prefix + ".journal.gw1");
            assertEquals(3, d.partitions().get(0).replicas().size(), "replication factor");
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".journal.gw1");
            assertEquals("2", admin.describeConfigs(List.of(res)).all().get().get(res).get("min.insync.replicas").value());
        }

        int n = 1500;
        Map<String, String> accepted = new ConcurrentHashMap<>(); // client_ref -> id
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int worker = t;
            work.add(pool.submit(() -> {
                Http http = env.http();
                for (int i = worker; i < n; i += 4) {
                    String ref = "k" + i;
                    for (int attempt = 0; attempt < 100 && !accepted.containsKey(ref); attempt++) {
                        Http.Response r = http.post("/v1/messages", "{\"to\":\"+3361" + String.format("%07d", i) + "\",\"from\":\"ACME\",\"text\":\"m" + i
                                + "\",\"client_ref\":\"" + ref + "\"}");
                        if (r.status() == 202 || r.status() == 200) {
                            accepted.put(ref, r.body().get("id").asText());
                        } else if (r.status() == 503) {
                            unavailable.incrementAndGet(); // Kafka slow to acknowledge (a broker going): tried again, same client_ref
                        } else {
                            throw new AssertionError("unexpected " + r.status() + " " + r.body());
                        }
                    }
                    sent.incrementAndGet();
                }
                return null;
            }));
        }
        Await.until(Duration.ofSeconds(60), () -> accepted.size() >= n / 3, () -> accepted.size() + " accepted");
        kafka.stop(1); // a broker lost mid-run: two of three in sync are still enough
        for (Future<?> f : work) {
            f.get(180, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(n, accepted.size(), "every message accepted (" + unavailable.get() + " answers were 503 on the way)");

        // every answered message's ACCEPTED record is in Kafka
        Map<Long, String> replicated = readTopic(prefix + ".journal.gw1");
        Set<String> inKafka = new HashSet<>(replicated.values());
        for (String id : accepted.values()) {
            assertTrue(inKafka.contains(id), "message " + id + " was answered but is not in Kafka");
        }
        Await.until(Duration.ofSeconds(60), () -> accepted.values().stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED),
                () -> accepted.values().stream().filter(id -> Stored.state(gw, id) != MessageState.DELIVERED).count() + " not delivered");

        // a restart (the broker back too): the copy resumes where Kafka's last record says, and ends with every journal record
        kafka.restart(1);
        gw.close();
        Gateway again = env.start(config);
        Http.Response after = env.http().post("/v1/messages", "{\"to\":\"+33619999999\",\"from\":\"ACME\",\"text\":\"after\"}");
        assertEquals(202, after.status(), after.body()::toString);
        TreeSet<Long> local = new TreeSet<>();
        try (JournalTail t = ((ChronicleMessageStore) again.store()).tail(-1)) {
            while (t.next((index, data) -> local.add(index))) {
                // all of it
            }
        }
        // records nobody waits for (the dispatcher's) are copied within moments
        Await.until(Duration.ofSeconds(20), () -> readTopicUnchecked(prefix + ".journal.gw1").keySet().containsAll(local),
                () -> "journal records missing from Kafka: " + difference(local, readTopicUnchecked(prefix + ".journal.gw1").keySet()));
        Map<Long, String> all = readTopic(prefix + ".journal.gw1");
        assertTrue(all.containsValue(after.body().get("id").asText()));
        assertTrue(smsc.submits.size() >= n, smsc.submits.size() + " submits");
    }

    @Test
    void whileKafkaCannotAcknowledgeNothingIsAnsweredAcceptedAndIntakeResumesAfter() throws Exception {
        env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.start(config(", ack-timeout: 1s"));
        Http http = env.http();
        Http.Response first = http.post("/v1/messages", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"before\"}");
        assertEquals(202, first.status());

        kafka.stop(1);
        kafka.stop(2); // one broker of three: min.insync.replicas 2 cannot be met
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest waiting = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/v1/messages"))
                .timeout(Duration.ofSeconds(3)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+33612000002\",\"from\":\"ACME\",\"text\":\"during\",\"client_ref\":\"during\"}")).build();
        try {
            HttpResponse<String> r = client.send(waiting, HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() != 202, "answered " + r.statusCode() + " " + r.body() + " while Kafka could not acknowledge it");
        } catch (java.net.http.HttpTimeoutException expected) {
            // no answer: its record waits for Kafka
        }
        Await.until(Duration.ofSeconds(20), () -> http.post("/v1/messages", "{\"to\":\"+33612000003\",\"from\":\"ACME\",\"text\":\"x\"}").status() == 503,
                () -> "intake not refused");
        Http.Response refused = http.post("/v1/messages", "{\"to\":\"+33612000003\",\"from\":\"ACME\",\"text\":\"x\"}");
        assertEquals(503, refused.status());
        assertEquals("store_unavailable", refused.body().get("error").asText(), refused.body()::toString);
        com.fasterxml.jackson.databind.JsonNode rep = gw.status().get("replication");
        assertEquals("behind", rep.get("state").asText(), rep::toString);
        assertEquals(prefix + ".journal.gw1", rep.get("topic").asText());
        assertTrue(rep.get("waiting_answers").asInt() >= 1 && rep.get("oldest_wait_ms").asLong() >= 1000, rep::toString);
        assertTrue(rep.get("reason").asText().startsWith("Kafka has not acknowledged the journal for"), rep::toString);
        assertTrue(gauge(gw, "smppgw_replication_waiting_answers") >= 1 && gauge(gw, "smppgw_replication_oldest_wait_seconds") >= 1.0,
                () -> new String(gw.metrics().scrape()));

        kafka.restart(1);
        kafka.restart(2);
        Await.until(Duration.ofSeconds(90), () -> http.post("/v1/messages", "{\"to\":\"+33612000004\",\"from\":\"ACME\",\"text\":\"y\"}").status() == 202,
                () -> "intake not back");
        Http.Response retried = http.post("/v1/messages", "{\"to\":\"+33612000002\",\"from\":\"ACME\",\"text\":\"during\",\"client_ref\":\"during\"}");
        assertEquals(200, retried.status(), "the unanswered one was accepted meanwhile: " + retried.body());
        assertTrue(retried.body().get("duplicate").asBoolean());
        Await.until(Duration.ofSeconds(10), () -> gw.status().get("replication").get("waiting_answers").asInt() == 0,
                () -> gw.status().get("replication").toString());
        assertEquals("ok", gw.status().get("replication").get("state").asText(), () -> gw.status().toString());
        String during = retried.body().get("id").asText();
        assertTrue(readTopic(prefix + ".journal.gw1").containsValue(during), "in Kafka");
        Await.until(Duration.ofSeconds(30), () -> Stored.state(gw, during) == MessageState.DELIVERED, () -> "during: " + Stored.state(gw, during));
    }

    @Test
    void aNodeWhoseDataDirectoryIsLostGetsItsJournalBackFromKafkaAndSendsOnlyWhatWasNotSent() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        // a backlog built on purpose (the operator paused): no max-backlog-time, whose drain-rate estimate from the first
        // phase's seconds could refuse it (a slow CI run once got 429 at 123 waiting, "1/s")
        GatewayConfig config = env.config("store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: gw1}\n",
                "  - name: op\n    default: true\n    max-backlog-time: 0s\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                        + ", system-id: gw, password: pw, count: 2}]\n");
        Gateway gw = env.start(config);
        Http http = env.http();
        List<String> sentBefore = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+3362" + String.format("%07d", i) + "\",\"from\":\"ACME\",\"text\":\"a" + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            sentBefore.add(r.body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(30), () -> sentBefore.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "not delivered");
        gw.pause("op"); // what comes now stays queued: accepted, never sent by this node
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+3363" + String.format("%07d", i) + "\",\"from\":\"ACME\",\"text\":\"b" + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            queued.add(r.body().get("id").asText());
        }
        assertEquals(201, http.post("/v1/optouts", "{\"number\":\"+33640000001\"}").status());
        JsonNode before = http.get("/v1/messages/" + sentBefore.get(7)).body();
        gw.close();
        assertEquals(300, smsc.submits.size());

        // the disk is lost: the same node starts on an empty data directory
        try (var files = java.nio.file.Files.walk(env.dir())) {
            files.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(env.dir())).forEach(f -> f.toFile().delete());
        }
        Gateway restored = env.start(config);
        Await.until(Duration.ofSeconds(30), () -> queued.stream().allMatch(id -> Stored.state(restored, id) == MessageState.DELIVERED),
                () -> queued.stream().filter(id -> Stored.state(restored, id) != MessageState.DELIVERED).count() + " queued ones not delivered");
        assertEquals(600, smsc.submits.size(), "what was sent before is not sent again");
        assertTrue(sentBefore.stream().allMatch(id -> Stored.state(restored, id) == MessageState.DELIVERED));
        assertEquals(before, http.get("/v1/messages/" + sentBefore.get(7)).body(), "a message's history as it was");
        assertTrue(http.get("/v1/optouts").body().toString().contains("+33640000001"), "consent restored");
    }

    @Test
    void aRestoredNodeDoesNotNotifyAgainWhatItsClientWasServedAndNotifiesWhatItWasNot() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        smppgw.testing.WebhookReceiver receiver = new smppgw.testing.WebhookReceiver();
        Map<String, AtomicInteger> callbacks = receiver.callbacks;
        java.util.concurrent.atomic.AtomicBoolean refusing = receiver.refusing;
        try {
            GatewayConfig config = env.config("store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                            + "cluster: {node-id: gw1}\n"
                            + "clients:\n  - {name: acme, api-key: acme-key-0123456789, webhook-url: \"" + receiver.url() + "\", "
                            + "webhook-secret: webhook-secret-0123456789, webhook-backoff: 50ms}\n",
                    "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw, count: 2}]\n");
            Gateway gw = env.start(config);
            Http http = env.http().withKey("acme-key-0123456789");
            List<String> served = post(http, "+3365", 100);
            Await.until(Duration.ofSeconds(30), () -> served.stream().allMatch(id -> callbacks.containsKey(id + " DELIVERED")),
                    () -> served.stream().filter(id -> !callbacks.containsKey(id + " DELIVERED")).count() + " DELIVERED callbacks missing");
            // every record so far made a notification the webhook has answered: the journaled checkpoint comes to cover them
            long last = lastIndexNotServed();
            Await.until(Duration.ofSeconds(20), () -> servedThrough("acme") >= last,
                    () -> "served through " + Long.toHexString(servedThrough("acme")) + ", journal at " + Long.toHexString(last));

            refusing.set(true); // the receiver is down: these are delivered, their callbacks not served
            List<String> pending = post(http, "+3366", 50);
            Await.until(Duration.ofSeconds(30), () -> pending.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "not delivered");
            gw.close();
            assertTrue(pending.stream().noneMatch(id -> callbacks.containsKey(id + " SUBMITTED")), "refused callbacks not counted");

            // the disk is lost; the node restores its journal from Kafka, its receiver up again
            try (var files = java.nio.file.Files.walk(env.dir())) {
                files.sorted(java.util.Comparator.reverseOrder()).filter(f -> !f.equals(env.dir())).forEach(f -> f.toFile().delete());
            }
            callbacks.clear();
            refusing.set(false);
            Gateway restored = env.start(config);
            Await.until(Duration.ofSeconds(30), () -> pending.stream().allMatch(id -> callbacks.containsKey(id + " DELIVERED")),
                    () -> pending.stream().filter(id -> !callbacks.containsKey(id + " DELIVERED")).count() + " callbacks never served are missing");
            assertTrue(pending.stream().allMatch(id -> callbacks.containsKey(id + " SUBMITTED")), "every state of what was not served");
            List<String> again = served.stream().filter(id -> callbacks.containsKey(id + " SUBMITTED") || callbacks.containsKey(id + " DELIVERED")).toList();
            assertEquals(0, again.size(), () -> again.size() + " of 100 messages whose callbacks were served before the disk was lost got them "
                    + "again, e.g. " + again.subList(0, Math.min(3, again.size())));
            assertEquals(MessageState.DELIVERED, Stored.state(restored, served.get(0)));
        } finally {
            receiver.close();
        }
        assertEquals(150, smsc.submits.size(), "nothing sent twice");
    }

    private List<String> post(Http http, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"" + prefix + String.format("%07d", i) + "\",\"from\":\"ACME\",\"text\":\"s" + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        return ids;
    }

    private long lastIndexNotServed() {
        return smppgw.testing.ServedCheckpoints.lastIndexNotServed(new KafkaStoreConfig(kafka.bootstrap(), prefix, 3, 2, false, Duration.ofSeconds(10), "gw1"));
    }

    private long servedThrough(String client) {
        return smppgw.testing.ServedCheckpoints.servedThrough(new KafkaStoreConfig(kafka.bootstrap(), prefix, 3, 2, false, Duration.ofSeconds(10), "gw1"), client);
    }

    @Test
    void cleanHandOversInAFailoverGroupSendNothingTwiceAndTheNodeThatWasActiveBeforeCatchesUp() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        int portB = smppgw.testing.Ports.free();
        java.util.function.Supplier<GatewayConfig> a = () -> groupNode(env.dir(), env.httpPort(), "a");
        java.util.function.Supplier<GatewayConfig> b = () -> groupNode(tmp.resolve("b"), portB, "b");
        smppgw.daemon.FailoverNode nodeA = smppgw.daemon.FailoverNode.start(a, java.time.Clock.systemUTC());
        smppgw.daemon.FailoverNode nodeB = null;
        smppgw.daemon.FailoverNode nodeA2 = null;
        try {
            Await.until(Duration.ofSeconds(60), () -> nodeA.gateway() != null && nodeA.gateway().health().ok(), () -> "a not active");
            nodeB = smppgw.daemon.FailoverNode.start(b, java.time.Clock.systemUTC());
            List<String> onA = post(env.http(), "+3367", 200);
            Await.until(Duration.ofSeconds(30), () -> onA.stream().allMatch(id -> Stored.state(nodeA.gateway(), id) == MessageState.DELIVERED),
                    () -> "not delivered by a");
            nodeA.close(); // a clean stop: the last records copied, then the role handed over
            smppgw.daemon.FailoverNode standby = nodeB;
            Await.until(Duration.ofSeconds(60), () -> standby.gateway() != null && standby.gateway().health().ok(), () -> "b not active");
            List<String> onB = post(new Http(portB), "+3368", 100);
            Await.until(Duration.ofSeconds(30), () -> onB.stream().allMatch(id -> Stored.state(standby.gateway(), id) == MessageState.DELIVERED),
                    () -> "not delivered by b");

            nodeA2 = smppgw.daemon.FailoverNode.start(a, java.time.Clock.systemUTC()); // a again, on its own data directory
            nodeB.close();
            smppgw.daemon.FailoverNode back = nodeA2;
            Await.until(Duration.ofSeconds(60), () -> back.gateway() != null && back.gateway().health().ok(), () -> "a not active again");
            assertTrue(java.nio.file.Files.notExists(env.dir().resolve("replaced")), "a's journal caught up, not set aside");
            for (String id : onB) {
                assertEquals(MessageState.DELIVERED, Stored.state(back.gateway(), id), "what b did is in a's state");
            }
            assertEquals(MessageState.DELIVERED, Stored.state(back.gateway(), onA.get(0)));
            assertEquals(300, smsc.submits.size(), "clean hand-overs send nothing twice");
        } finally {
            smppgw.testing.Closer.close(nodeA, nodeB, nodeA2);
        }
    }

    @Test
    void aNodeThatCannotStartAsTheActiveOneLeavesTheRoleToAnother() throws Exception {
        env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        int portB = smppgw.testing.Ports.free();
        smppgw.daemon.FailoverNode nodeA = null;
        smppgw.daemon.FailoverNode nodeB = null;
        // something else listens on a's HTTP port: a standby's port forwards, so a does not even join
        try (java.net.ServerSocket taken = new java.net.ServerSocket(env.httpPort(), 50, java.net.InetAddress.getLoopbackAddress())) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> smppgw.daemon.FailoverNode.start(() -> groupNode(env.dir(), env.httpPort(), "a"), java.time.Clock.systemUTC()));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + env.httpPort()), e.getMessage());
            assertTrue(taken.isBound());
        }
        // a's data directory is a file: a is given the role, cannot start, and must not keep it
        Path notADirectory = java.nio.file.Files.writeString(tmp.resolve("a-file"), "x");
        try {
            nodeA = smppgw.daemon.FailoverNode.start(() -> groupNode(notADirectory, env.httpPort(), "a"), java.time.Clock.systemUTC());
            smppgw.daemon.FailoverNode a = nodeA;
            Await.until(Duration.ofSeconds(60), () -> a.failedStarts() > 0, () -> "a was never made active");
            nodeB = smppgw.daemon.FailoverNode.start(() -> groupNode(tmp.resolve("b"), portB, "b"), java.time.Clock.systemUTC());
            smppgw.daemon.FailoverNode b = nodeB;
            Await.until(Duration.ofSeconds(60), () -> b.gateway() != null && b.gateway().health().ok(), () -> "b never became active");
            assertEquals(null, nodeA.gateway(), "a serves nothing");
            assertEquals(202, new Http(portB).post("/v1/messages", "{\"to\":\"+33690000001\",\"from\":\"ACME\",\"text\":\"x\"}").status());
            Await.until(Duration.ofSeconds(30), () -> new Http(env.httpPort()).get("/health").body().path("active_node").asText("").equals("b"),
                    () -> "a does not forward to b");
            assertEquals(202, new Http(env.httpPort()).post("/v1/messages", "{\"to\":\"+33690000002\",\"from\":\"ACME\",\"text\":\"x\"}").status(),
                    "a stands by again and forwards");
        } finally {
            smppgw.testing.Closer.close(nodeA, nodeB);
        }
    }

    private GatewayConfig groupNode(Path dataDir, int httpPort, String node) {
        return GatewayConfig.parse("test", "data-dir: " + dataDir + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\nlog: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + node + ", failover-group: g, session-timeout: 6s}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                + ", system-id: gw, password: pw, count: 2}]\n", dataDir);
    }

    @Test
    void aSecondProcessRunningAsTheSameNodeFencesTheFirstWhichThenAcceptsAndSendsNothing() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway first = env.start(config(""));
        Http http = env.http();
        assertEquals(202, http.post("/v1/messages", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"first\"}").status());

        // a standby started as the same node while the first still runs (it was thought dead): it restores and takes over
        int port = smppgw.testing.Ports.free();
        GatewayConfig b = GatewayConfig.parse("b", "data-dir: " + tmp.resolve("b") + "\nhttp: {listen: 127.0.0.1:" + port + "}\nlog: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\ncluster: {node-id: gw1}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n", tmp);
        try (Gateway second = Gateway.start(b, java.time.Clock.systemUTC())) {
            Await.until(Duration.ofSeconds(30), () -> second.health().ok(), () -> second.health().detail().toString());
            Http httpB = new Http(port);
            Http.Response taken = httpB.post("/v1/messages", "{\"to\":\"+33612000002\",\"from\":\"ACME\",\"text\":\"second\"}");
            assertEquals(202, taken.status(), taken.body()::toString);

            // the first one learns it was fenced at its next write; what it wrote meanwhile is left out by every reader
            HttpRequest write = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/v1/messages")).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+33612000003\",\"from\":\"ACME\",\"text\":\"zombie\"}")).build();
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(write, HttpResponse.BodyHandlers.ofString());
                assertTrue(r.statusCode() != 202, "the zombie answered 202 for a record written after the newer fence: " + r.body());
            } catch (java.net.http.HttpTimeoutException expected) {
                // its record waits for an acknowledgement the zombie will never count
            }
            Await.until(Duration.ofSeconds(20), () -> first.health().detail().toString().contains("fenced"), () -> first.health().detail().toString());
            Http.Response refused = http.post("/v1/messages", "{\"to\":\"+33612000004\",\"from\":\"ACME\",\"text\":\"zombie 2\"}");
            assertEquals(503, refused.status(), refused.body()::toString);
            assertTrue(refused.body().get("message").asText().contains("fenced"), refused.body()::toString);

            Map<Long, String> topic = readTopic(prefix + ".journal.gw1");
            assertTrue(topic.containsValue(taken.body().get("id").asText()), "the second's message is in Kafka");
            assertEquals(2, topic.values().stream().filter(v -> !v.isEmpty()).count(), "the first's and the second's messages, not the zombie's: " + topic);
            Await.until(Duration.ofSeconds(20), () -> Stored.state(second, taken.body().get("id").asText()) == MessageState.DELIVERED, () -> "not delivered");
            assertTrue(first.health().detail().toString().contains("fenced"));
            assertEquals("fenced", first.status().get("replication").get("state").asText(), () -> first.status().toString());
            assertEquals(1.0, gauge(first, "smppgw_replication_fenced"));
            assertEquals(0.0, gauge(second, "smppgw_replication_fenced"));
            assertTrue(second.status().get("replication").get("epoch").asLong() > first.status().get("replication").get("epoch").asLong());
            long zombieSends = smsc.submits.stream().filter(sm -> sm.getDestAddress().equals("33612000004")).count();
            assertEquals(0, zombieSends, "refused: never sent");
        }
    }

    /** A replication gauge of the journal topic <prefix>.journal.gw1, as /metrics gives it. */
    private double gauge(Gateway gw, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "\\{topic=\"" + prefix + "\\.journal\\.gw1\"} (\\S+)$")
                .matcher(new String(gw.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(m.find(), name + " not in /metrics");
        return Double.parseDouble(m.group(1));
    }

    /**
     * The topic's records as every reader keeps them (the epoch rule, each index once): journal index → the id of the
     * message an ACCEPTED record holds ("" for other records).
     */
    private Map<Long, String> readTopic(String topic) throws Exception {
        assertEquals(prefix + ".journal.gw1", topic);
        Map<Long, String> out = new HashMap<>();
        JournalTopic.readAll(new KafkaStoreConfig(kafka.bootstrap(), prefix, 3, 2, false, Duration.ofSeconds(10), "gw1"), Long.MAX_VALUE, (index, value) -> {
            String id = "";
            if (value[0] == 'A') {
                try {
                    id = Http.JSON.readTree(value, 1, value.length - 1).get("id").asText();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            assertTrue(out.put(index, id) == null, "index " + Long.toHexString(index) + " kept twice");
        });
        return out;
    }

    private Map<Long, String> readTopicUnchecked(String topic) {
        try {
            return readTopic(topic);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String difference(Set<Long> a, Set<Long> b) {
        TreeSet<Long> d = new TreeSet<>(a);
        d.removeAll(b);
        return d.size() + " " + d.stream().limit(5).map(Long::toHexString).toList();
    }
}
