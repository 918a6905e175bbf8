package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.GatewayConfig;
import smppgw.config.KafkaStoreConfig;
import smppgw.daemon.FailoverNode;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warm standby ({@code cluster.warm-standby}, the default) keeps its data directory a copy of the group's journal and
 * state while the active node runs, so taking over reads nothing from Kafka and replays nothing, and its integrators'
 * webhooks are told what the active node had not served — not again what it had. The same hand-over with the copy
 * off reads the whole journal from Kafka (what the figures would say if the copy were not kept). Two in-JVM nodes of
 * one group on a real 3-broker Kafka, a jSMPP SMSC, a webhook receiver.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class WarmStandbyTest {
    private static final String KEY = "acme-key-0123456789";

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private smppgw.testing.WebhookReceiver receiver;
    private Map<String, AtomicInteger> callbacks;

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
        receiver = new smppgw.testing.WebhookReceiver();
        callbacks = receiver.callbacks;
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(receiver);
    }

    private FailoverNode node(String name, Path dir, int port, boolean warm) {
        return FailoverNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + port + "}\n"
                + "log: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: " + warm + "}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", webhook-url: \"" + receiver.url() + "\", "
                + "webhook-secret: webhook-secret-0123456789, webhook-backoff: 50ms}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                + ", system-id: gw, password: pw, count: 2}]\n", dir), Clock.systemUTC());
    }

    private static List<String> post(Http http, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"" + prefix + String.format("%07d", i) + "\",\"from\":\"ACME\",\"text\":\"w" + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        return ids;
    }

    private KafkaStoreConfig topic() {
        return new KafkaStoreConfig(kafka.bootstrap(), prefix, 3, 2, false, Duration.ofSeconds(10), "x", "g", Duration.ofSeconds(10), null);
    }

    private long lastIndexNotServed() {
        return smppgw.testing.ServedCheckpoints.lastIndexNotServed(topic());
    }

    private long servedThrough() {
        return smppgw.testing.ServedCheckpoints.servedThrough(topic(), "acme");
    }

    /** What the takeover's {@code /admin/status} says of how its store started ({@code replication.start}). */
    private record HandOver(JsonNode start, JsonNode standbyHealth, List<String> served, List<String> pending, FailoverNode b, int portB,
                            smppgw.store.kafka.JournalFollower.ResumePoint midway) {
    }

    /**
     * a active, b standing by (its copy on or off); 120 messages through a whose callbacks the receiver takes (and the
     * journaled checkpoint comes to cover), 40 more whose callbacks it refuses; then a stops cleanly and b serves.
     */
    private HandOver handOver(FailoverNode[] nodes, boolean warm) throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        int portB = Ports.free();
        nodes[0] = node("a", env.dir(), env.httpPort(), true);
        FailoverNode a = nodes[0];
        Await.until(Duration.ofSeconds(60), () -> a.gateway() != null && a.gateway().health().ok(), () -> "a not active");
        nodes[1] = node("b", tmp.resolve("b"), portB, warm);
        FailoverNode b = nodes[1];
        Http viaA = env.http().withKey(KEY);
        List<String> served = post(viaA, "+3365", 120);
        Await.until(Duration.ofSeconds(30), () -> served.stream().allMatch(id -> callbacks.containsKey(id + " DELIVERED")),
                () -> served.stream().filter(id -> !callbacks.containsKey(id + " DELIVERED")).count() + " DELIVERED callbacks missing");
        long last = lastIndexNotServed();
        Await.until(Duration.ofSeconds(20), () -> servedThrough() >= last, () -> "served through " + Long.toHexString(servedThrough())
                + ", journal at " + Long.toHexString(last));
        Await.until(Duration.ofSeconds(20), () -> {
            smppgw.store.kafka.JournalFollower.ResumePoint p = smppgw.store.kafka.JournalFollower.ResumePoint.load(env.dir());
            return p != null && p.index() >= last;
        }, () -> "the active node saves where it is acknowledged (every 2 s): " + smppgw.store.kafka.JournalFollower.ResumePoint.load(env.dir()));
        smppgw.store.kafka.JournalFollower.ResumePoint midway = smppgw.store.kafka.JournalFollower.ResumePoint.load(env.dir());
        receiver.refusing.set(true); // these are delivered, their callbacks not served by a
        List<String> pending = post(viaA, "+3366", 40);
        Await.until(Duration.ofSeconds(30), () -> pending.stream().allMatch(id -> Stored.state(a.gateway(), id) == MessageState.DELIVERED),
                () -> "not delivered");
        Http standby = new Http(portB);
        if (warm) { // a copies its receipts' records to Kafka after journaling them: b is level once they are in the topic too
            Await.until(Duration.ofSeconds(30), () -> {
                JsonNode copy = standby.get("/health").body().path("journal_copy");
                return copy.path("behind_records").asLong(-1) == 0 && copy.path("copied_records").asLong() >= 3 * 160;
            }, () -> "b's copy behind: " + standby.get("/health").body());
        }
        JsonNode health = standby.get("/health").body();
        assertEquals(160, smsc.submits.size(), "each message sent once by a");
        a.close(); // a clean stop: its last records copied, then the role handed over
        callbacks.clear();
        receiver.refusing.set(false);
        Await.until(Duration.ofSeconds(60), () -> b.gateway() != null && b.gateway().health().ok(), () -> "b not active");
        JsonNode start = Http.admin(tmp.resolve("b"), portB).get("/admin/status").body().path("replication").path("start");
        Await.until(Duration.ofSeconds(30), () -> pending.stream().allMatch(id -> callbacks.containsKey(id + " DELIVERED")),
                () -> pending.stream().filter(id -> !callbacks.containsKey(id + " DELIVERED")).count() + " callbacks never served are missing");
        for (String id : served) {
            assertEquals(MessageState.DELIVERED, Stored.state(b.gateway(), id), "what a did is in b's state");
        }
        assertEquals(160, smsc.submits.size(), "a clean hand-over sends nothing twice");
        return new HandOver(start, health, served, pending, b, portB, midway);
    }

    @Test
    void aWarmStandbyServesFromItsOwnCopyReadingNothingFromKafkaAndTellsWebhooksOnlyWhatWasNotServed() throws Exception {
        FailoverNode[] nodes = new FailoverNode[2];
        try {
            HandOver h = handOver(nodes, true);
            assertEquals("following", h.standbyHealth().path("journal_copy").path("state").asText(), h.standbyHealth()::toString);
            assertTrue(h.standbyHealth().path("journal_copy").path("copied_records").asLong() >= 3 * 160,
                    () -> "accepted, submitted and delivered for each of 160 messages copied: " + h.standbyHealth());
            assertEquals("local", h.start().path("journal").asText(), h.start()::toString);
            assertEquals(0, h.start().path("records_read_from_kafka").asLong(-1), h.start()::toString);
            assertEquals(0, h.start().path("records_replayed").asLong(-1), () -> "the copy was applied to the end before serving: " + h.start());
            List<String> again = h.served().stream().filter(id -> callbacks.containsKey(id + " ACCEPTED")
                    || callbacks.containsKey(id + " SUBMITTED") || callbacks.containsKey(id + " DELIVERED")).toList();
            assertEquals(0, again.size(), () -> again.size() + " of 120 messages whose callbacks a had served were told again by b, e.g. "
                    + again.subList(0, Math.min(3, again.size())));
            assertTrue(h.pending().stream().allMatch(id -> callbacks.containsKey(id + " SUBMITTED")), "every state of what was not served");

            // b goes on; a comes back as a warm standby of b, and takes over again from its own copy. a's point is put back to
            // what it saved while active, after the first 120 messages: as if it had been killed then (kill -9 saves nothing)
            smppgw.store.kafka.JournalFollower.ResumePoint end = smppgw.store.kafka.JournalFollower.ResumePoint.load(env.dir());
            assertTrue(end != null && end.offset() - h.midway().offset() > 10, () -> "a's clean stop saved its last record: " + end
                    + ", while active: " + h.midway());
            h.midway().save(env.dir());
            nodes[0] = node("a", env.dir(), env.httpPort(), true);
            List<String> onB = post(new Http(h.portB()).withKey(KEY), "+3367", 30);
            Http standbyA = new Http(env.httpPort());
            Await.until(Duration.ofSeconds(30), () -> onB.stream().allMatch(id -> Stored.state(h.b().gateway(), id) == MessageState.DELIVERED)
                    && standbyA.get("/health").body().path("journal_copy").path("behind_records").asLong(-1) == 0, () -> "a's copy: "
                    + standbyA.get("/health").body());
            JsonNode aCopy = standbyA.get("/health").body().path("journal_copy");
            assertTrue(aCopy.path("copied_records").asLong() >= 3 * 30, aCopy::toString);
            long reread = aCopy.path("read_records").asLong() - aCopy.path("copied_records").asLong();
            assertTrue(reread >= end.offset() - h.midway().offset() && reread <= end.offset() - h.midway().offset() + 10, () -> "a went on from"
                    + " the point it saved while active (journal-follow.properties), reading again only its own records after it (offsets "
                    + h.midway().offset() + " to " + end.offset() + "), not the topic from its beginning: " + aCopy);
            smppgw.store.kafka.JournalFollower.ResumePoint at = smppgw.store.kafka.JournalFollower.ResumePoint.load(env.dir());
            assertTrue(at != null && at.index() >= 0, "a saves where it follows from");
            try (smppgw.store.kafka.JournalFollower f = new smppgw.store.kafka.JournalFollower(topic())) {
                byte[] record = smppgw.store.chronicle.JournalRestore.record(env.dir(), at.index());
                assertTrue(f.resume(at, record), "the topic's record before the saved offset is a's record at that index");
                byte[] other = record.clone();
                other[other.length - 1] ^= 1;
                assertFalse(f.resume(at, other), "a local journal that ends otherwise is read from the topic's beginning");
            }
            h.b().close();
            FailoverNode a = nodes[0];
            Await.until(Duration.ofSeconds(60), () -> a.gateway() != null && a.gateway().health().ok(), () -> "a not active again");
            JsonNode again2 = Http.admin(env.dir(), env.httpPort()).get("/admin/status").body().path("replication").path("start");
            assertEquals(0, again2.path("records_read_from_kafka").asLong(-1), again2::toString);
            assertTrue(java.nio.file.Files.notExists(env.dir().resolve("replaced")), "a's journal followed b's, not set aside");
            for (String id : onB) {
                assertEquals(MessageState.DELIVERED, Stored.state(a.gateway(), id), "what b did is in a's state");
            }
        } finally {
            Closer.close(nodes[0], nodes[1]);
        }
    }

    @Test
    void withoutTheCopyTheSameHandOverReadsTheWholeJournalFromKafka() throws Exception {
        FailoverNode[] nodes = new FailoverNode[2];
        try {
            HandOver h = handOver(nodes, false);
            assertEquals("off", h.standbyHealth().path("journal_copy").path("state").asText(), h.standbyHealth()::toString);
            assertEquals("restored", h.start().path("journal").asText(), h.start()::toString);
            assertTrue(h.start().path("records_read_from_kafka").asLong() >= 3 * 160, h.start()::toString);
            assertTrue(h.start().path("records_replayed").asLong() >= 3 * 160, h.start()::toString);
        } finally {
            Closer.close(nodes[0], nodes[1]);
        }
    }
}
