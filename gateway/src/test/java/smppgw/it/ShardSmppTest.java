package smppgw.it;

import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import smppgw.config.GatewayConfig;
import smppgw.daemon.ShardedNode;
import smppgw.route.Shards;
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
 * The SMPP server of a sharded group (two nodes, four shards, real brokers, a jSMPP SMSC, jSMPP as the integrator's ESME):
 * an ESME bound to one node submits to numbers of every shard; each message is stored by its shard's core — here, or on
 * the other node, which answers with its id or its refusal — and its receipt reaches the client's receiver bound to the
 * node that runs its shard, once.
 */
class ShardSmppTest {
    private static final int SHARDS = 4;
    private static final String ADMIN = "admin-key-shard-smpp-0123";
    private static final String KEY = "k-shard-smpp-0123456789";

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private final ShardedNode[] nodes = new ShardedNode[2];
    private final int[] ports = {Ports.free(), Ports.free()};
    private final int[] smppPorts = {Ports.free(), Ports.free()};
    private final Http[] http = {new Http(ports[0]).withKey(KEY), new Http(ports[1]).withKey(KEY)};
    private final List<SMPPSession> esmes = new ArrayList<>();
    private JsmppSmsc smsc;

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
        int smscPort = Ports.free();
        smsc = new JsmppSmsc(smscPort, ShardedSendTest::script);
        smsc.receiptsOnAnyBind = true; // a receipt may come on the bind of the node that does not run its shard
        nodes[0] = node(0, smscPort);
        nodes[1] = node(1, smscPort);
        smppgw.testing.Sharded.awaitSplit(nodes, ports, SHARDS);
    }

    @AfterEach
    void down() throws Exception {
        for (SMPPSession s : esmes) {
            s.unbindAndClose();
        }
        Closer.close(nodes[0], nodes[1], smsc);
    }

    private ShardedNode node(int i, int smscPort) {
        String name = String.valueOf((char) ('a' + i));
        Path dir = tmp.resolve(name);
        return ShardedNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + ports[i] + "}\n"
                + "smpp-server: {listen: 127.0.0.1:" + smppPorts[i] + "}\n"
                + "log: {state-changes: false}\nadmin: {api-key: " + ADMIN + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: false}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", system-id: acme, password: pw, block-transactional: true}\n"
                + "operators:\n  - name: op\n    default: true\n    tps: 500\n"
                + "    binds: [{host: 127.0.0.1, port: " + smscPort + ", system-id: gw, password: pw, count: 2, reconnect-min: 100ms}]\n",
                dir), Clock.systemUTC(), SHARDS);
    }

    /** Receipts as jSMPP parses them, in the order they came: the ids they name. */
    private static final class Inbox implements MessageReceiverListener {
        final ConcurrentLinkedQueue<DeliveryReceipt> receipts = new ConcurrentLinkedQueue<>();

        @Override
        public void onAcceptDeliverSm(DeliverSm d) throws org.jsmpp.extra.ProcessRequestException {
            if (MessageType.SMSC_DEL_RECEIPT.containedIn(d.getEsmClass())) {
                try {
                    receipts.add(d.getShortMessageAsDeliveryReceipt());
                } catch (org.jsmpp.util.InvalidDeliveryReceiptException e) {
                    throw new org.jsmpp.extra.ProcessRequestException("unparsable receipt", 0x64);
                }
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification a) {
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session s) {
            return null;
        }

        List<String> ids() {
            return receipts.stream().map(DeliveryReceipt::getId).toList();
        }
    }

    private SMPPSession bind(int node, BindType type, Inbox inbox) throws Exception {
        SMPPSession s = new SMPPSession();
        if (inbox != null) {
            s.setMessageReceiverListener(inbox);
        }
        s.connectAndBind("127.0.0.1", smppPorts[node], new org.jsmpp.session.BindParameter(type, "acme", "pw", "", TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN, null));
        esmes.add(s);
        return s;
    }

    private static String submit(SMPPSession s, String to) throws Exception {
        return s.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "ACME", TypeOfNumber.INTERNATIONAL,
                NumberingPlanIndicator.ISDN, to, new ESMClass(), (byte) 0, (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE),
                (byte) 0, DataCodings.ZERO, (byte) 0, ("hi " + to).getBytes(StandardCharsets.ISO_8859_1)).getMessageId();
    }

    private static java.util.Set<String> received(Inbox a, Inbox b) {
        java.util.Set<String> all = new java.util.HashSet<>(a.ids());
        all.addAll(b.ids());
        return all;
    }

    /** Part {@code seq} of 2 of a concatenated submit (UDH, reference 0x42); its message id once the whole message is stored. */
    private static String part(SMPPSession s, String to, int seq, String text) {
        byte[] udh = {0x05, 0x00, 0x03, 0x42, 0x02, (byte) seq};
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] sm = new byte[udh.length + body.length];
        System.arraycopy(udh, 0, sm, 0, udh.length);
        System.arraycopy(body, 0, sm, udh.length, body.length);
        try {
            return s.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "ACME", TypeOfNumber.INTERNATIONAL,
                    NumberingPlanIndicator.ISDN, to, new ESMClass(0x40), (byte) 0, (byte) 1, null, null,
                    new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.ZERO, (byte) 0, sm).getMessageId();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node whose cores run {@code to}'s shard. */
    private int nodeOf(String to) {
        return nodes[0].shards().contains(Shards.of("+" + to, SHARDS)) ? 0 : 1;
    }

    /** A counter of node {@code i}'s {@code /metrics}, by its name and labels as written (0 when absent). */
    private double counted(int i, String series) {
        for (String line : new Http(ports[i]).getText("/metrics")[1].split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void anEsmeBoundToOneNodeSubmitsToEveryShardAndEachReceiptReachesTheNodeOfItsShardOnce() throws Exception {
        Inbox onA = new Inbox();
        Inbox onB = new Inbox();
        SMPPSession trx = bind(0, BindType.BIND_TRX, onA);
        bind(1, BindType.BIND_RX, onB); // the client's receiver on the other node: the receipts of its shards

        for (int i = 0; i < 2; i++) { // each node tells the sessions bound to it
            Http.Response status = new Http(ports[i]).withKey(ADMIN).get("/admin/status");
            assertEquals(1, status.body().path("integrators").path("acme").asInt(), status.body()::toString);
        }

        Map<String, String> ids = new LinkedHashMap<>(); // id -> number
        int[] perNode = new int[2];
        for (int i = 0; i < 60; i++) {
            String to = "3361" + String.format("%07d", 4_000_000 + i);
            ids.put(submit(trx, to), to);
            perNode[nodeOf(to)]++;
        }
        assertEquals(60, ids.size(), "one id per submit");
        assertTrue(perNode[0] > 0 && perNode[1] > 0, () -> "numbers of both nodes' shards: " + perNode[0] + "/" + perNode[1]);
        assertEquals(perNode[0], counted(0, "smppgw_shard_smpp_submits_total{answered=\"here\"}"));
        assertEquals(perNode[1], counted(0, "smppgw_shard_smpp_submits_total{answered=\"forwarded\"}"), "stored by the other node's cores");
        for (Map.Entry<String, String> e : ids.entrySet()) { // stored once, where its shard is: found through either node
            Http.Response r = http[1 - nodeOf(e.getValue())].get("/v1/messages/" + e.getKey());
            assertEquals(200, r.status(), r.body()::toString);
            assertEquals("+" + e.getValue(), r.body().get("to").asText());
            assertEquals("hi " + e.getValue(), r.body().get("text").asText());
        }

        Await.until(Duration.ofSeconds(60), () -> onA.receipts.size() + onB.receipts.size() >= ids.size(),
                () -> onA.receipts.size() + " + " + onB.receipts.size() + " receipts of " + ids.size());
        List<String> all = new ArrayList<>(onA.ids());
        all.addAll(onB.ids());
        assertEquals(ids.size(), all.size(), "each receipt once");
        assertEquals(ids.keySet(), new java.util.HashSet<>(all));
        for (DeliveryReceipt r : onA.receipts) {
            assertEquals(0, nodeOf(ids.get(r.getId())), "a receipt of node a's shards, to the receiver bound to a");
        }
        for (DeliveryReceipt r : onB.receipts) {
            assertEquals(1, nodeOf(ids.get(r.getId())), "a receipt of node b's shards, to the receiver bound to b");
        }
        for (DeliveryReceipt r : onA.receipts) {
            assertEquals(ids.get(r.getId()).endsWith("3") ? DeliveryReceiptState.UNDELIV : DeliveryReceiptState.DELIVRD, r.getFinalStatus());
        }

        // a refusal by the other node's core comes back as its SMPP status: an opt-out taken there
        String stop = "3361" + String.format("%07d", 4_100_000);
        for (int k = 1; nodeOf(stop) != 1; k++) {
            stop = "3361" + String.format("%07d", 4_100_000 + k);
        }
        Http.Response optOut = http[1].post("/v1/optouts", "{\"number\":\"+" + stop + "\"}");
        assertTrue(optOut.status() / 100 == 2, optOut.body()::toString);
        String opted = stop;
        NegativeResponseException refused = assertThrows(NegativeResponseException.class, () -> submit(trx, opted));
        assertEquals(0x45, refused.getCommandStatus(), "ESME_RSUBMITFAIL: the recipient opted out");
        assertEquals(1, counted(0, "smppgw_intake_total{client=\"acme\",interface=\"smpp\",result=\"opted_out\"}"),
                () -> java.util.Arrays.stream(new Http(ports[0]).getText("/metrics")[1].split("\n")).filter(l -> l.startsWith("smppgw_intake")).toList().toString());

        // a concatenated submit for a shard of the other node: the parts gathered here, the whole message stored there, one id
        String joined = "3361" + String.format("%07d", 4_200_000);
        for (int k = 1; nodeOf(joined) != 1; k++) {
            joined = "3361" + String.format("%07d", 4_200_000 + k);
        }
        String to = joined;
        java.util.concurrent.CompletableFuture<String> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> part(trx, to, 1, "Part one, "));
        String second = part(trx, to, 2, "part two.");
        assertEquals(second, first.get(30, java.util.concurrent.TimeUnit.SECONDS), "both parts answered with the message's id");
        Http.Response whole = http[0].get("/v1/messages/" + second);
        assertEquals(200, whole.status(), whole.body()::toString);
        assertEquals("Part one, part two.", whole.body().get("text").asText());
        assertEquals(null, ids.put(second, to), "a new id");

        // node b leaves: a runs every shard, and what b's receiver acknowledged is not sent again from a
        Await.until(Duration.ofSeconds(60), () -> onB.receipts.size() == ids.values().stream().filter(n -> nodeOf(n) == 1).count(),
                () -> onB.receipts.size() + " receipts on b");
        int[] movedShards = nodes[1].shards().stream().mapToInt(Integer::intValue).toArray();
        nodes[1].close();
        nodes[1] = null;
        Await.until(Duration.ofSeconds(60), () -> nodes[0].shards().size() == SHARDS, () -> "shards on a: " + nodes[0].shards());
        for (int i = 0; i < 20; i++) {
            String n = "3361" + String.format("%07d", 4_300_000 + i);
            String id = submit(trx, n);
            assertEquals(null, ids.put(id, n), () -> id + " for " + n + " again");
        }
        Await.until(Duration.ofSeconds(60), () -> received(onA, onB).containsAll(ids.keySet()),
                () -> received(onA, onB).size() + " distinct receipts of " + ids.size());
        List<String> every = new ArrayList<>(onA.ids());
        every.addAll(onB.ids());
        assertEquals(ids.keySet(), received(onA, onB), "no receipt of a message not submitted");
        assertEquals(ids.size(), every.size(), () -> "each receipt once, also of shards " + java.util.Arrays.toString(movedShards)
                + " moved to a; twice: " + every.stream().filter(id -> java.util.Collections.frequency(every, id) > 1).distinct()
                .map(id -> id + " (" + ids.get(id) + ", shard " + Shards.of("+" + ids.get(id), SHARDS) + ", on a " + java.util.Collections.frequency(onA.ids(), id) + ")").toList());

        // the path the nodes hand submits on takes only the admin key
        Http.Response stranger = new Http(ports[0]).withKey(KEY).post("/admin/shards/submit",
                "{\"client\":\"acme\",\"to\":\"+" + stop + "1\",\"from\":\"ACME\",\"text\":\"hi\"}");
        assertEquals(401, stranger.status(), stranger.body()::toString);
        Http.Response admin = new Http(ports[0]).withKey(ADMIN).post("/admin/shards/submit", "{\"to\":\"+33611\"}");
        assertEquals(400, admin.status(), admin.body()::toString);
    }
}
