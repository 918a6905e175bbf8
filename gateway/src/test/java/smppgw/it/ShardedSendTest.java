package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import smppgw.config.GatewayConfig;
import smppgw.daemon.ShardedNode;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sending from a sharded group (two nodes, four shards, real brokers, two jSMPP SMSCs): each operator's binds are divided
 * among the nodes — never more than configured at the SMSC — the cores of each node send over that node's binds, and every
 * receipt and handset message reaches its shard, also when the SMSC sends it on a bind of the node that does not run that
 * shard (forwarded through Kafka). When a node leaves, the other takes its binds and sends on.
 */
class ShardedSendTest {
    private static final int SHARDS = 4;
    private static final String KEY = "k-shard-send-0123456789";

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private final ShardedNode[] nodes = new ShardedNode[2];
    private final int[] ports = {Ports.free(), Ports.free()};
    private final Http[] http = {new Http(ports[0]).withKey(KEY), new Http(ports[1]).withKey(KEY)};
    private JsmppSmsc alpha;
    private JsmppSmsc beta;

    /** Numbers ending in 3 are undeliverable, the others delivered. */
    static JsmppSmsc.Reply script(org.jsmpp.bean.SubmitSm sm, Long id) {
        return new JsmppSmsc.Reply(sm.getDestAddress().endsWith("3") ? DeliveryReceiptState.UNDELIV : DeliveryReceiptState.DELIVRD, 30);
    }

    static String expected(String to) {
        return to.endsWith("3") ? "UNDELIVERED" : "DELIVERED";
    }

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
        int alphaPort = Ports.free();
        int betaPort = Ports.free();
        alpha = new JsmppSmsc(alphaPort, ShardedSendTest::script);
        beta = new JsmppSmsc(betaPort, ShardedSendTest::script);
        beta.receiptsOnAnyBind = true; // receipts also on the other node's binds
        nodes[0] = node(0, alphaPort, betaPort);
        nodes[1] = node(1, alphaPort, betaPort);
        smppgw.testing.Sharded.awaitSplit(nodes, ports, SHARDS);
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(nodes[0], nodes[1], alpha, beta);
    }

    private ShardedNode node(int i, int alphaPort, int betaPort) {
        String name = String.valueOf((char) ('a' + i));
        Path dir = tmp.resolve(name);
        return ShardedNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + ports[i] + "}\n"
                + "log: {state-changes: false}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: false}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", system-id: acme, password: pw}\n"
                + "operators:\n"
                + "  - name: alpha\n    prefixes: [\"+3361\"]\n    tps: 500\n"
                + "    binds: [{host: 127.0.0.1, port: " + alphaPort + ", system-id: gw, password: pw, count: 2, reconnect-min: 100ms}]\n"
                + "  - name: beta\n    default: true\n    tps: 500\n"
                + "    binds: [{host: 127.0.0.1, port: " + betaPort + ", system-id: gw, password: pw, count: 3, reconnect-min: 100ms}]\n",
                dir), Clock.systemUTC(), SHARDS);
    }

    private static long bound(JsmppSmsc smsc) {
        return smsc.sessions.stream().filter(s -> s.getSessionState().isBound()).count();
    }

    /** Each node's binds of {@code operator}, as {@code /admin/status} on node {@code i} lists the group's nodes. */
    private Map<String, Integer> placed(int i, String operator) {
        Http.Response r = Http.admin(tmp.resolve(String.valueOf((char) ('a' + i))), ports[i]).get("/admin/status");
        assertEquals(200, r.status(), r.body()::toString);
        assertTrue(r.body().path("operators_without_bind").isArray() && r.body().get("operators_without_bind").isEmpty(),
                () -> "this node holds binds of both operators: " + r.body());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (JsonNode n : r.body().path("cluster").path("nodes")) {
            out.put(n.get("node_id").asText(), n.path("binds").path(operator).asInt());
        }
        return out;
    }

    /** A number of the alpha operator whose shard runs on node {@code i}. */
    private String numberOn(int i) {
        for (int k = 0; ; k++) {
            String to = "+3361" + String.format("%07d", 5_000_000 + k);
            if (nodes[i].shards().contains(smppgw.route.Shards.of(to, SHARDS))) {
                return to;
            }
        }
    }

    /** A counter summed over both nodes' {@code /metrics}, by its name and labels as written. */
    private double counted(String series) {
        double sum = 0;
        for (int port : ports) {
            for (String line : new Http(port).getText("/metrics")[1].split("\n")) {
                if (line.startsWith(series + " ")) {
                    sum += Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
        }
        return sum;
    }

    /** Posts {@code count} messages for each operator, to the nodes in turn; returns id by number. */
    private Map<String, String> send(int from, int count, Http... to) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = from; i < from + count; i++) {
            for (String number : new String[]{"+3361" + String.format("%07d", i), "+3362" + String.format("%07d", i)}) {
                Http.Response r = to[i % to.length].post("/v1/messages", "{\"to\":\"" + number + "\",\"from\":\"ACME\",\"text\":\"hi " + i + "\"}");
                assertEquals(202, r.status(), r.body()::toString);
                ids.put(number, r.body().get("id").asText());
            }
        }
        return ids;
    }

    /** Every message ends in its scripted state, as either node tells it. */
    private void allFinal(Map<String, String> ids, Http... ask) {
        int[] k = {0};
        for (Map.Entry<String, String> e : ids.entrySet()) {
            Http h = ask[k[0]++ % ask.length];
            Await.until(Duration.ofSeconds(60), () -> expected(e.getKey()).equals(h.get("/v1/messages/" + e.getValue()).body().path("state").asText()),
                    () -> e + ": " + h.get("/v1/messages/" + e.getValue()).body());
        }
    }

    @Test
    void eachNodeSendsOverItsPartOfTheBindsAndReceiptsFindTheirShard() throws Exception {
        Await.until(Duration.ofSeconds(30), () -> bound(alpha) == 2 && bound(beta) == 3, () -> "bound: " + bound(alpha) + " " + bound(beta));
        for (int i = 0; i < 2; i++) {
            Map<String, Integer> a = placed(i, "alpha");
            Map<String, Integer> b = placed(i, "beta");
            assertEquals(Map.of("a", 1, "b", 1), a, "alpha's two binds, one per node, as node " + i + " tells it");
            assertEquals(3, b.values().stream().mapToInt(Integer::intValue).sum(), b::toString);
            assertTrue(b.values().stream().allMatch(n -> n >= 1), b::toString);
        }

        Map<String, String> ids = send(0, 100, http);
        allFinal(ids, http);
        assertEquals(100, alpha.submits.size(), "each message submitted once");
        assertEquals(100, beta.submits.size(), "each message submitted once");
        assertEquals(2, bound(alpha), "never more binds than configured");
        assertEquals(3, bound(beta), "never more binds than configured");
        assertTrue(counted("smppgw_inbound_forwarded_total{kind=\"receipt\"}") > 0, "beta's receipts on the other node's binds, forwarded");
        assertEquals(0, counted("smppgw_inbound_refused_total{kind=\"receipt\"}"), "none refused");

        // a STOP from a handset of each node's shards, on the bind alpha's SMSC picks (on one of the nodes): each honoured
        double forwardedMo = counted("smppgw_inbound_forwarded_total{kind=\"mo\"}");
        for (int i = 0; i < 2; i++) {
            String number = numberOn(i);
            Http.Response sent = http[i].post("/v1/messages", "{\"to\":\"" + number + "\",\"from\":\"36001\",\"text\":\"promo\"}");
            assertEquals(202, sent.status(), sent.body()::toString);
            Await.until(Duration.ofSeconds(30), () -> http[0].delivered(sent.body().get("id").asText()), () -> number + " not delivered");
            alpha.handsetSays(number.substring(1), "36001", "STOP"); // throws unless the deliver_sm is answered 0
            for (Http h : http) {
                Await.until(Duration.ofSeconds(30), () -> h.get("/v1/optouts/" + number).status() == 200, () -> number + " not opted out");
            }
        }
        assertEquals(forwardedMo + 1, counted("smppgw_inbound_forwarded_total{kind=\"mo\"}"), "one of the two on the other node's bind");

        // b leaves: a runs every shard and takes b's binds
        nodes[1].close();
        nodes[1] = null;
        Await.until(Duration.ofSeconds(60), () -> nodes[0].shards().size() == SHARDS, () -> "shards on a: " + nodes[0].shards());
        Await.until(Duration.ofSeconds(30), () -> placed(0, "alpha").equals(Map.of("a", 2)) && placed(0, "beta").equals(Map.of("a", 3)),
                () -> "placed: " + placed(0, "alpha") + " " + placed(0, "beta"));
        Await.until(Duration.ofSeconds(30), () -> bound(alpha) == 2 && bound(beta) == 3, () -> "bound: " + bound(alpha) + " " + bound(beta));
        Map<String, String> more = send(100, 30, http[0]);
        allFinal(more, http[0]);
        assertEquals(132, alpha.submits.size(), "130 and the two messages the STOPs answered, each once");
        assertEquals(130, beta.submits.size());
    }
}
