package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import smppgw.config.GatewayConfig;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any node of a failover group takes requests: a standby's HTTP port forwards to the active node, so the one writer
 * decides requests made on different nodes at once — opt-outs, frequency caps and {@code client_ref} stay exact — and
 * any node answers for any message. Three in-JVM nodes on a real 3-broker Kafka, a jSMPP SMSC.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FailoverFrontTest {
    private static final String KEY = "acme-key-0123456789";

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private JsmppSmsc smsc;
    private final int[] ports = new int[3];
    private final int[] smppPorts = new int[3];
    private final FailoverNode[] nodes = new FailoverNode[3];
    private final Http[] http = new Http[3];

    @BeforeEach
    void group() throws Exception {
        kafka = KafkaCluster.shared();
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        for (int i = 0; i < 3; i++) {
            ports[i] = i == 0 ? env.httpPort() : Ports.free();
            smppPorts[i] = Ports.free();
            http[i] = new Http(ports[i]).withKey(KEY);
        }
        nodes[0] = start(0);
        Await.until(Duration.ofSeconds(60), () -> nodes[0].gateway() != null && nodes[0].gateway().health().ok(), () -> "a not active");
        nodes[1] = start(1);
        nodes[2] = start(2);
        for (int i = 1; i < 3; i++) {
            int n = i;
            Await.until(Duration.ofSeconds(30), () -> "a".equals(health(n).path("active_node").asText(null)), () -> "standby " + n + " does not know a");
        }
    }

    @AfterEach
    void stop() throws Exception {
        Closer.close(nodes[0], nodes[1], nodes[2]);
    }

    private FailoverNode start(int i) {
        String name = String.valueOf((char) ('a' + i));
        return node(name, i == 0 ? env.dir() : tmp.resolve(name), "g", "{listen: 127.0.0.1:" + ports[i] + "}",
                "smpp-server: {listen: 127.0.0.1:" + smppPorts[i] + "}\n");
    }

    private FailoverNode node(String name, Path dir, String group, String http, String more) {
        return FailoverNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: " + http + "\n" + more
                + "log: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: " + group + ", session-timeout: 6s}\n"
                + "compliance: {frequency-cap: {max: 3, period: 7d}}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", system-id: acme, password: pw}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                + ", system-id: gw, password: pw, count: 2}]\n", dir), Clock.systemUTC());
    }

    private JsonNode health(int i) {
        return new Http(ports[i]).get("/health").body();
    }

    private static String message(String to, String extra) {
        return "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"hello\"" + extra + "}";
    }

    /** {@code count} requests at once, spread over the three nodes in turn. */
    private List<Http.Response> concurrently(int count, String body) {
        List<CompletableFuture<Http.Response>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            posts.add(http[i % 3].postAsync("/v1/messages", body));
        }
        return posts.stream().map(CompletableFuture::join).toList();
    }

    private long submitsTo(String number) {
        return smsc.submits.stream().filter(sm -> sm.getDestAddress().endsWith(number.substring(1))).count();
    }

    @Test
    void requestsForOneRecipientOnEveryNodeAtOnceMeetOneWriterAndAnyNodeAnswersForAnyMessage() throws Exception {
        // the same client_ref from every node at once: one message, every answer naming it
        List<Http.Response> refs = concurrently(45, message("+33690000010", ",\"client_ref\":\"order-1\""));
        assertTrue(refs.stream().allMatch(r -> r.status() == 202 || r.status() == 200), () -> refs.stream().map(Http.Response::status).toList().toString());
        Set<String> ids = refs.stream().map(r -> r.body().get("id").asText()).collect(Collectors.toSet());
        assertEquals(1, ids.size(), ids::toString);
        String id = ids.iterator().next();
        Http.Response conflict = http[2].post("/v1/messages", message("+33690000011", ",\"client_ref\":\"order-1\""));
        assertEquals(409, conflict.status(), conflict.body()::toString);
        assertEquals("client_ref_conflict", conflict.body().get("error").asText());

        // the frequency cap (3 in 7 days) with 45 promotional messages for one number from three nodes at once
        List<Http.Response> capped = concurrently(45, message("+33690000020", ",\"class\":\"promotional\""));
        assertEquals(3, capped.stream().filter(r -> r.status() == 202).count(), "exactly the cap gets through");
        assertEquals(42, capped.stream().filter(r -> r.status() == 429 && r.body().get("error").asText().equals("frequency_cap")).count());

        // an opt-out taken by a standby holds on every node from its answer on
        Http.Response optOut = http[1].post("/v1/optouts", "{\"number\":\"+33690000030\"}");
        assertTrue(optOut.status() / 100 == 2, optOut.body()::toString);
        List<Http.Response> afterOptOut = concurrently(30, message("+33690000030", ",\"class\":\"promotional\""));
        assertEquals(30, afterOptOut.stream().filter(r -> r.status() == 409 && r.body().get("error").asText().equals("opted_out")).count(),
                () -> afterOptOut.stream().map(r -> r.status() + " " + r.body()).distinct().toList().toString());
        assertEquals(200, http[2].get("/v1/optouts/+33690000030").status());

        // sent once each, and every node tells the same about every message
        Await.until(Duration.ofSeconds(30), () -> Stored.state(nodes[0].gateway(), id) == MessageState.DELIVERED, () -> "not delivered");
        ((smppgw.store.chronicle.ChronicleMessageStore) nodes[0].gateway().store()).barrier().get();
        assertEquals(1, submitsTo("+33690000010"));
        assertEquals(3, submitsTo("+33690000020"));
        assertEquals(0, submitsTo("+33690000030"));
        JsonNode onActive = http[0].get("/v1/messages/" + id).body();
        assertEquals("DELIVERED", onActive.get("state").asText());
        for (int i = 1; i < 3; i++) {
            assertEquals(onActive, http[i].get("/v1/messages/" + id).body(), "node " + i + " tells what the active node does");
            assertEquals(404, http[i].get("/v1/messages/01M81ZQBK84ZF8TZ24HRNS3PXS").status());
        }

        // a standby says what it is, counts only its own, and refuses what another standby forwarded (no loops)
        JsonNode standby = health(1);
        assertEquals("standby", standby.get("role").asText());
        assertEquals("b", standby.get("node").asText());
        String[] metrics = new Http(ports[1]).getText("/metrics");
        assertEquals("200", metrics[0]);
        assertTrue(metrics[1].contains("smppgw_failover_active{node=\"b\"} 0.0"), metrics[1]);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("smppgw_standby_forwarded_requests_total\\{outcome=\"answered\"} (\\S+)")
                .matcher(metrics[1]);
        assertTrue(m.find() && Double.parseDouble(m.group(1)) >= 40, metrics[1]);
        assertTrue(!metrics[1].contains("smppgw_intake_total"), "the active node's figures are not repeated by a standby");
        HttpResponse<String> looped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/v1/messages"))
                .header("X-Smppgw-Forwarded-By", "c").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(message("+33690000040", ""))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, looped.statusCode(), looped.body());
        assertTrue(looped.body().contains("no_active_node"), looped.body());

        // the admin API through a standby, with the active node's token: the group, each node's address and role
        JsonNode group = Http.admin(env.dir(), ports[2]).get("/admin/status").body().path("replication").path("failover_group");
        assertEquals(3, group.get("nodes").size(), group::toString);
        for (JsonNode n : group.get("nodes")) {
            int i = n.get("node_id").asText().charAt(0) - 'a';
            assertEquals("http://127.0.0.1:" + ports[i], n.get("url").asText(), group::toString);
            assertEquals(i == 0 ? "active" : "standby", n.get("role").asText(), group::toString);
        }
        // smppgw status asked of a standby: what it is, then the active node's status through it, or why the key is refused
        java.util.Map.Entry<Integer, String> status = smppgw.testing.Cli.run("status", "--url", "http://127.0.0.1:" + ports[2],
                "--admin-key", Http.adminToken(env.dir()));
        assertEquals(0, status.getKey(), status.getValue());
        assertTrue(status.getValue().contains("node c stands by in failover group g; its ports forward to the active node: a"), status.getValue());
        assertTrue(status.getValue().contains("failover group g: a active (http://127.0.0.1:" + ports[0] + ")"), status.getValue());
        java.util.Map.Entry<Integer, String> noKey = smppgw.testing.Cli.run("status", "--url", "http://127.0.0.1:" + ports[2],
                "--config", tmp.resolve("nothing.yaml").toString());
        assertEquals(1, noKey.getKey(), noKey.getValue());
        assertTrue(noKey.getValue().contains("401") && noKey.getValue().contains("configure the same admin.api-key on every node"), noKey.getValue());
    }

    @Test
    void anEsmeBoundToAStandbySubmitsThroughItAndGetsItsReceiptsBack() throws Exception {
        List<org.jsmpp.bean.DeliverSm> receipts = new java.util.concurrent.CopyOnWriteArrayList<>();
        org.jsmpp.session.SMPPSession esme = bind(smppPorts[1], receipts);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                ids.add(esme.submitShortMessage("", org.jsmpp.bean.TypeOfNumber.ALPHANUMERIC, org.jsmpp.bean.NumberingPlanIndicator.UNKNOWN, "ACME",
                        org.jsmpp.bean.TypeOfNumber.INTERNATIONAL, org.jsmpp.bean.NumberingPlanIndicator.ISDN, "3369100" + String.format("%04d", i),
                        new org.jsmpp.bean.ESMClass(), (byte) 0, (byte) 1, null, null,
                        new org.jsmpp.bean.RegisteredDelivery(org.jsmpp.bean.SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0,
                        org.jsmpp.bean.DataCodings.ZERO, (byte) 0, ("relayed " + i).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).getMessageId());
            }
            // the receipts come back over the same relayed connection, naming the ids the standby's relay answered
            Await.until(Duration.ofSeconds(30), () -> receipts.size() >= 50, () -> receipts.size() + " receipts");
        } finally {
            esme.unbindAndClose();
        }
        for (String id : ids) {
            assertEquals(MessageState.DELIVERED, Stored.state(nodes[0].gateway(), id), "taken and sent by the active node a");
        }
        Set<String> receiptIds = new java.util.HashSet<>();
        for (org.jsmpp.bean.DeliverSm d : receipts) {
            receiptIds.add(d.getShortMessageAsDeliveryReceipt().getId());
        }
        assertEquals(Set.copyOf(ids), receiptIds);
        String[] metrics = new Http(ports[1]).getText("/metrics");
        assertTrue(metrics[1].contains("smppgw_standby_relayed_smpp_connections_total{outcome=\"relayed\"} 1.0"), metrics[1]);
    }

    private static org.jsmpp.session.SMPPSession bind(int port, List<org.jsmpp.bean.DeliverSm> receipts) throws Exception {
        org.jsmpp.session.SMPPSession s = new org.jsmpp.session.SMPPSession();
        s.setMessageReceiverListener(new org.jsmpp.session.MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(org.jsmpp.bean.DeliverSm d) {
                receipts.add(d);
            }

            @Override
            public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification a) {
            }

            @Override
            public org.jsmpp.session.DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm d, org.jsmpp.session.Session session) {
                return null;
            }
        });
        s.connectAndBind("127.0.0.1", port, new org.jsmpp.session.BindParameter(org.jsmpp.bean.BindType.BIND_TRX, "acme", "pw", "",
                org.jsmpp.bean.TypeOfNumber.UNKNOWN, org.jsmpp.bean.NumberingPlanIndicator.UNKNOWN, null));
        return s;
    }

    @Test
    void overHttpsAStandbyForwardsToTheActiveNodeWhoseCertificateItsOwnChainVouchesFor() throws Exception {
        smppgw.testing.TestCa ca = new smppgw.testing.TestCa("group CA");
        Path tls = java.nio.file.Files.createDirectories(tmp.resolve("tls"));
        Path leaf = ca.issue("smppgw", "127.0.0.1").write(tls, "node");
        Path chain = java.nio.file.Files.writeString(tls.resolve("fullchain.crt"),
                java.nio.file.Files.readString(leaf) + java.nio.file.Files.readString(ca.writeCert(tls.resolve("ca.crt"))));
        int portD = Ports.free();
        int portE = Ports.free();
        String https = "{listen: 127.0.0.1:%d, tls: {cert: " + chain + ", key: " + tls.resolve("node.key") + "}}";
        FailoverNode d = null;
        FailoverNode e = null;
        try { // a second group on the same brokers, HTTPS only: d active, e standing by
            d = node("d", tmp.resolve("d"), "s", String.format(https, portD), "");
            FailoverNode active = d;
            Await.until(Duration.ofSeconds(60), () -> active.gateway() != null && active.gateway().health().ok(), () -> "d not active");
            e = node("e", tmp.resolve("e"), "s", String.format(https, portE), "");
            Http viaE = Http.https(portE, ca.trustingContext()).withKey(KEY);
            Await.until(Duration.ofSeconds(30), () -> "d".equals(viaE.get("/health").body().path("active_node").asText(null)), () -> "e does not know d");
            Http.Response r = viaE.post("/v1/messages", message("+33690000060", ""));
            assertEquals(202, r.status(), r.body()::toString);
            String id = r.body().get("id").asText();
            Await.until(Duration.ofSeconds(30), () -> Stored.state(active.gateway(), id) == MessageState.DELIVERED, () -> "not delivered by d");
            assertEquals("DELIVERED", viaE.get("/v1/messages/" + id).body().get("state").asText());
        } finally {
            Closer.close(e, d);
        }
    }

    @Test
    void aStandbyThatCannotReachTheActiveNodeSaysNothingWasStoredAndForwardsToTheNextActiveNode() throws Exception {
        Http.Response before = http[1].post("/v1/messages", message("+33690000050", ",\"client_ref\":\"before\""));
        assertEquals(202, before.status(), before.body()::toString);
        String beforeId = before.body().get("id").asText();

        nodes[0].gateway().close(); // a's port closes while Kafka still has it as the active node
        Http.Response refused = http[1].post("/v1/messages", message("+33690000051", ""));
        assertEquals(503, refused.status(), refused.body()::toString);
        assertEquals("no_active_node", refused.body().get("error").asText());
        assertTrue(refused.body().get("message").asText().contains("nothing was stored"), refused.body()::toString);
        java.io.IOException bindRefused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> bind(smppPorts[2], new ArrayList<>()), "an ESME's bind on a standby fails when the active node cannot be reached");
        assertTrue(String.valueOf(bindRefused.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("negative")
                && String.valueOf(bindRefused.getMessage()).contains("8"), "answered ESME_RSYSERR, not left waiting: " + bindRefused);

        nodes[0].close(); // a leaves the group: b or c takes over, the other forwards to it
        Await.until(Duration.ofSeconds(60), () -> nodes[1].gateway() != null || nodes[2].gateway() != null, () -> "nobody took over");
        int next = nodes[1].gateway() != null ? 1 : 2;
        int other = 3 - next;
        String name = String.valueOf((char) ('a' + next));
        Await.until(Duration.ofSeconds(30), () -> name.equals(health(other).path("active_node").asText(null)), () -> "the standby does not know " + name);
        Http.Response after = http[other].post("/v1/messages", message("+33690000052", ""));
        assertEquals(202, after.status(), after.body()::toString);
        String afterId = after.body().get("id").asText();
        FailoverNode active = nodes[next];
        Await.until(Duration.ofSeconds(30), () -> Stored.state(active.gateway(), afterId) == MessageState.DELIVERED, () -> "not delivered");
        Await.until(Duration.ofSeconds(30), () -> Stored.state(active.gateway(), beforeId) == MessageState.DELIVERED, () -> "a's not delivered");
        assertEquals("DELIVERED", http[other].get("/v1/messages/" + beforeId).body().get("state").asText(), "what a took, told by the next");
        assertEquals(0, submitsTo("+33690000051"), "the refused request was not stored");
    }
}
