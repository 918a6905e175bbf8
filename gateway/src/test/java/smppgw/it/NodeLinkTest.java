package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node link of a sharded group (docs/cluster.md, step 3b), over real brokers and a jSMPP SMSC: an operator with one bind
 * and a group of two nodes — the node that does not hold the bind sends its shards' messages over the node that does. Every
 * message is submitted once and reaches its scripted state, the SMSC never sees more than the one bind, and the node holding
 * it relays exactly the other node's messages; a bind to the link with another password is refused. Then the admin API of
 * the group: both nodes' files reloaded with two binds (each node holds one, nothing goes over the link; a reload that
 * needs a restart is refused), the operator paused through one node and resumed through the other (nothing sent
 * meanwhile from either node's shards). When a node leaves, the other holds both binds.
 */
class NodeLinkTest {
    private static final int SHARDS = 4;
    private static final String KEY = "k-node-link-0123456789";
    private static final String LINK_PASSWORD = "link-secret-1";
    /** The same on both nodes: an operator control asked of one node is asked of the other with it. */
    private static final String ADMIN_KEY = "admin-key-node-link-0123";

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private final ShardedNode[] nodes = new ShardedNode[2];
    private final int[] ports = {Ports.free(), Ports.free()};
    private final int[] linkPorts = {Ports.free(), Ports.free()};
    private final Http[] http = {new Http(ports[0]).withKey(KEY), new Http(ports[1]).withKey(KEY)};
    private JsmppSmsc smsc;
    /** The account's bind count in both nodes' configuration files, as a reload reads them. */
    private volatile int binds = 1;
    /** The bind's own {@code tps} in them (0: none). */
    private volatile int bindTps;
    /** {@code log.state-changes} in them: a setting only a restart changes. */
    private volatile boolean stateChanges;

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
        int smscPort = Ports.free();
        smsc = new JsmppSmsc(smscPort, ShardedSendTest::script);
        nodes[0] = node(0, smscPort);
        nodes[1] = node(1, smscPort);
        smppgw.testing.Sharded.awaitSplit(nodes, ports, SHARDS);
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(nodes[0], nodes[1], smsc);
    }

    private ShardedNode node(int i, int smscPort) {
        String name = String.valueOf((char) ('a' + i));
        Path dir = tmp.resolve(name);
        return ShardedNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + ports[i] + "}\n"
                + "log: {state-changes: " + stateChanges + "}\nadmin: {api-key: " + ADMIN_KEY + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: false, shards: " + SHARDS + ",\n"
                + "  link: {listen: 127.0.0.1:" + linkPorts[i] + ", password: " + LINK_PASSWORD + "}}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + "}\n"
                + "operators:\n"
                + "  - name: solo\n    default: true\n    tps: 400\n"
                // a small window: the two nodes' cores wait for it in turn, on the node holding it
                + "    binds: [{host: 127.0.0.1, port: " + smscPort + ", system-id: gw, password: pw, count: " + binds + ", window: 4,"
                + " response-timeout: 400ms, reconnect-min: 100ms" + (bindTps > 0 ? ", tps: " + bindTps : "") + "}]\n"
                + "    retry: {min-backoff: 100ms, max-backoff: 1s}\n",
                dir), Clock.systemUTC(), SHARDS);
    }

    private long bound() {
        return smsc.sessions.stream().filter(s -> s.getSessionState().isBound()).count();
    }

    private JsonNode status(int i) {
        Http.Response r = new Http(ports[i]).withKey(ADMIN_KEY).get("/admin/status");
        assertEquals(200, r.status(), r.body()::toString);
        return r.body();
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The node holding the one bind, as node {@code i}'s {@code /admin/status} lists the group's binds. */
    private int holder(int i) {
        for (JsonNode n : status(i).path("cluster").path("nodes")) {
            if (n.path("binds").path("solo").asInt() == 1) {
                return n.get("node_id").asText().charAt(0) - 'a';
            }
        }
        return -1;
    }

    /** Each node's binds, as node {@code i}'s {@code /admin/status} lists them. */
    private Map<String, Integer> placed(int i) {
        Map<String, Integer> out = new LinkedHashMap<>();
        status(i).path("cluster").path("nodes").forEach(n -> out.put(n.get("node_id").asText(), n.path("binds").path("solo").asInt()));
        return out;
    }

    /** The operator's messages queued on node {@code i}'s cores. */
    private int backlog(int i) {
        int sum = 0;
        for (JsonNode shard : status(i).path("shards_here")) {
            sum += shard.path("operators").path("solo").path("backlog").asInt();
        }
        return sum;
    }

    private double counted(int node, String series) {
        for (String line : new Http(ports[node]).getText("/metrics")[1].split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Both nodes read their files again: each applies a change of the operator. */
    private void reloadBoth() {
        for (int i = 0; i < 2; i++) {
            Http.Response r = new Http(ports[i]).withKey(ADMIN_KEY).post("/admin/reload", "{}");
            assertEquals(200, r.status(), r.body()::toString);
            assertTrue(r.body().path("applied").toString().contains("operators[solo]"), r.body()::toString);
        }
    }

    /** Posts {@code count} messages, to the nodes in turn; returns id by number. */
    private Map<String, String> send(int from, int count, Http... to) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = from; i < from + count; i++) {
            String number = "+3361" + String.format("%07d", i);
            Http.Response r = to[i % to.length].post("/v1/messages", "{\"to\":\"" + number + "\",\"from\":\"ACME\",\"text\":\"hi " + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.put(number, r.body().get("id").asText());
        }
        return ids;
    }

    private void allFinal(Map<String, String> ids, Http ask) {
        for (Map.Entry<String, String> e : ids.entrySet()) {
            Await.until(Duration.ofSeconds(60), () -> ShardedSendTest.expected(e.getKey()).equals(ask.get("/v1/messages/" + e.getValue()).body().path("state").asText()),
                    () -> e + ": " + ask.get("/v1/messages/" + e.getValue()).body());
        }
    }

    @Test
    void theNodeWithoutTheBindSendsOverTheNodeThatHoldsIt() throws Exception {
        Await.until(Duration.ofSeconds(30), () -> bound() == 1 && holder(0) >= 0 && holder(0) == holder(1), () -> "bound: " + bound());
        int holder = holder(0);
        int other = 1 - holder;
        Await.until(Duration.ofSeconds(30), () -> names(status(other).path("operators_over_link")).equals(List.of("solo")),
                () -> "node " + other + ": " + status(other));
        assertEquals(List.of(), names(status(other).path("operators_without_bind")), "it can send: over the link");
        assertEquals(List.of(), names(status(holder).path("operators_over_link")), "the holder sends over its own bind");

        Map<String, String> ids = send(0, 120, http);
        allFinal(ids, http[other]);
        assertEquals(120, smsc.submits.size(), "each message submitted once");
        assertEquals(1, bound(), "never more binds than configured");
        long viaLink = ids.keySet().stream().filter(n -> nodes[other].shards().contains(smppgw.route.Shards.of(n, SHARDS))).count();
        assertTrue(viaLink > 0 && viaLink < 120, "messages in both nodes' shards: " + viaLink);
        assertEquals(viaLink, counted(holder, "smppgw_link_submits_total{result=\"relayed\"}"),
                "the holder relayed exactly the other node's messages");

        // the SMSC answers after the holder's response-timeout: the holder passes the late answer on, which reaches the other
        // node within its longer wait over the link, so none of those messages is sent again
        smsc.answerDelayMs = 700;
        Map<String, String> late = new LinkedHashMap<>();
        for (int i = 2000; late.size() < 8; i++) {
            String number = "+3361" + String.format("%07d", i);
            if (nodes[other].shards().contains(smppgw.route.Shards.of(number, SHARDS))) {
                Http.Response r = http[i % 2].post("/v1/messages", "{\"to\":\"" + number + "\",\"from\":\"ACME\",\"text\":\"late " + i + "\"}");
                assertEquals(202, r.status(), r.body()::toString);
                late.put(number, r.body().get("id").asText());
            }
        }
        allFinal(late, http[holder]);
        smsc.answerDelayMs = 0;
        for (String number : late.keySet()) {
            assertEquals(1, smsc.submits.stream().filter(sm -> sm.getDestAddress().equals(number.substring(1))).count(), number + " submitted once");
        }
        assertTrue(counted(holder, "smppgw_link_submits_total{result=\"unanswered\"}") > 0, "they expired at the holder");
        assertEquals(viaLink + late.size(), counted(holder, "smppgw_link_submits_total{result=\"relayed\"}"), "and were answered late");

        // a bind to the link with another password is refused (cloudhopper closes the connection right after writing the
        // bind_resp, so the client may see only the connection closed: either way it is not bound)
        SMPPSession intruder = new SMPPSession();
        Exception e = assertThrows(Exception.class, () -> intruder.connectAndBind("127.0.0.1", linkPorts[holder],
                new BindParameter(BindType.BIND_TX, "solo", "guessed1", smppgw.smpp.NodeLink.SYSTEM_TYPE, TypeOfNumber.UNKNOWN,
                        NumberingPlanIndicator.UNKNOWN, null), 5_000), "not bound");
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NegativeResponseException n) {
                assertEquals(com.cloudhopper.smpp.SmppConstants.STATUS_INVPASWD, n.getCommandStatus(), "refused as a wrong password");
            }
        }
        assertTrue(!intruder.getSessionState().isBound(), () -> "not bound: " + intruder.getSessionState());

        // the holder's bind limited to 2 submits a second (a reload of both files): the other node's submits wait on the holder,
        // those that waited a second are answered ESME_RTHROTTLED (not sent) and sent again later; each submitted once
        bindTps = 2;
        reloadBoth();
        int beforeSlow = smsc.submits.size();
        Map<String, String> slow = new LinkedHashMap<>();
        for (int i = 5000; slow.size() < 12; i++) {
            String number = "+3361" + String.format("%07d", i);
            if (nodes[other].shards().contains(smppgw.route.Shards.of(number, SHARDS))) {
                Http.Response r = http[other].post("/v1/messages", "{\"to\":\"" + number + "\",\"from\":\"ACME\",\"text\":\"slow " + i + "\"}");
                assertEquals(202, r.status(), r.body()::toString);
                slow.put(number, r.body().get("id").asText());
            }
        }
        allFinal(slow, http[other]);
        assertTrue(counted(holder, "smppgw_link_submits_total{result=\"throttled\"}") > 0, "some waited more than a second on the holder");
        assertEquals(beforeSlow + 12, smsc.submits.size(), "each once: a throttled answer means not sent");
        bindTps = 0;

        // a reload of both nodes' files with two binds: one on each node, nothing over the link any more
        double relayed = counted(holder, "smppgw_link_submits_total{result=\"relayed\"}");
        binds = 2;
        reloadBoth();
        Await.until(Duration.ofSeconds(30), () -> bound() == 2 && placed(0).equals(Map.of("a", 1, "b", 1))
                && names(status(other).path("operators_over_link")).isEmpty(), () -> "bound " + bound() + ", " + status(other));
        Map<String, String> direct = send(3000, 40, http);
        allFinal(direct, http[0]);
        assertEquals(180, smsc.submits.size(), "each once");
        assertEquals(relayed, counted(holder, "smppgw_link_submits_total{result=\"relayed\"}"), "none over the link: each node has a bind");
        stateChanges = true; // only a restart changes it: the reload is refused whole
        Http.Response refused = new Http(ports[0]).withKey(ADMIN_KEY).post("/admin/reload", "{}");
        assertEquals(409, refused.status(), refused.body()::toString);
        assertTrue(refused.body().path("needs_restart").toString().contains("log"), refused.body()::toString);
        stateChanges = false;

        // the operator paused through one node is paused on both; resumed through the other, every held message goes out
        Http.Response paused = new Http(ports[0]).withKey(ADMIN_KEY).post("/admin/operators/solo/pause", "{}");
        assertEquals(200, paused.status(), paused.body()::toString);
        for (String n : List.of("a", "b")) {
            assertEquals("paused", paused.body().path("nodes").path(n).path("admin").asText(), paused.body()::toString);
        }
        Map<String, String> held = send(4000, 10, http);
        Await.until(Duration.ofSeconds(30), () -> backlog(0) + backlog(1) == 10, () -> "backlogs " + backlog(0) + " " + backlog(1));
        assertEquals(180, smsc.submits.size(), "nothing sent while paused");
        Http.Response resumed = new Http(ports[1]).withKey(ADMIN_KEY).post("/admin/operators/solo/resume", "{}");
        assertEquals(200, resumed.status(), resumed.body()::toString);
        allFinal(held, http[1]);
        assertEquals(190, smsc.submits.size(), "each once");
        assertEquals(404, new Http(ports[1]).withKey(ADMIN_KEY).post("/admin/operators/nobody/pause", "{}").status());
        Http.Response wrongKey = new Http(ports[1]).withKey("not-the-admin-key-at-all").post("/admin/operators/solo/pause", "{}");
        assertEquals(401, wrongKey.status(), "refused here, asked of no other node");

        // the holder leaves: the other node runs every shard and holds both binds
        nodes[holder].close();
        nodes[holder] = null;
        Await.until(Duration.ofSeconds(60), () -> nodes[other].shards().size() == SHARDS, () -> "shards: " + nodes[other].shards());
        String otherName = String.valueOf((char) ('a' + other));
        Await.until(Duration.ofSeconds(30), () -> bound() == 2 && placed(other).equals(Map.of(otherName, 2)), () -> "node " + other + ": " + status(other));
        Map<String, String> more = send(1000, 30, http[other]);
        allFinal(more, http[other]);
        assertEquals(220, smsc.submits.size(), "each once");
    }
}
