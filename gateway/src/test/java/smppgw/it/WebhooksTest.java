package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A webhook receiver that fails, then is down across a gateway restart, still gets every state change, signed, in order. */
class WebhooksTest {
    private static final String KEY = "acme-key-0123456789";
    private static final String SECRET = "webhook-secret-0123456789";
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;
    private HttpServer receiver;
    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger failFirst = new AtomicInteger(3);

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        sim.close();
    }

    private void receiverUp(int port) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst("X-Smppgw-Signature");
            String timestamp = ex.getRequestHeaders().getFirst("X-Smppgw-Timestamp");
            if (failFirst.getAndDecrement() > 0) {
                ex.sendResponseHeaders(500, -1);
                ex.close();
                return;
            }
            try {
                // as a receiver should: the signature over timestamp.body, and the timestamp within 5 minutes of now
                if (timestamp == null || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 300
                        || !("v1=" + hmac((timestamp + ".").getBytes(StandardCharsets.US_ASCII), body)).equals(sig)) {
                    badSignatures.incrementAndGet();
                }
                received.add(Http.JSON.readTree(body));
            } catch (Exception e) {
                badSignatures.incrementAndGet();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
    }

    private static String hmac(byte[] prefix, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(prefix);
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private Gateway startGateway(int smsc, int http, int hook) {
        return startGateway(smsc, http, hook, "");
    }

    private Gateway startGateway(int smsc, int http, int hook, String more) {
        String yaml = "data-dir: " + dir.resolve("data") + "\nhttp: {listen: 127.0.0.1:" + http + "}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", webhook-url: \"http://127.0.0.1:" + hook + "/hook\", webhook-secret: "
                + SECRET + ", webhook-accepted: true, webhook-backoff: 50ms" + more + "}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 20);
        Gateway g = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> g.health().ok(), () -> g.health().detail().toString());
        return g;
    }

    private static String post(int http, String to) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/messages"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"x\",\"campaign\":\"noel\","
                        + "\"client_ref\":\"ref-" + to + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        return Http.JSON.readTree(r.body()).get("id").asText();
    }

    /** (message id → states in the order they arrived), duplicates kept. */
    private Map<String, List<String>> byMessage() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (JsonNode n : received) {
            m.computeIfAbsent(n.get("id").asText(), k -> new ArrayList<>()).add(n.get("state").asText());
        }
        return m;
    }

    private boolean allStates(List<String> ids, String finalState) {
        Map<String, List<String>> m = byMessage();
        return ids.stream().allMatch(id -> m.containsKey(id) && m.get(id).containsAll(List.of("ACCEPTED", "SUBMITTED", finalState)));
    }

    @Test
    void everyStateChangeArrivesSignedAndInOrderThroughFailuresAnOutageAndARestart() throws Exception {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n  outcomes: [{to-suffix: \"99\", stat: UNDELIV}]\n")).startUnchecked();
        int http = Ports.free();
        int hook = Ports.free();
        receiverUp(hook);
        gw = startGateway(smsc, http, hook);

        List<String> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(post(http, "+336120000" + String.format("%02d", i)));
        }
        String undelivered = post(http, "+33612000099");
        Await.until(Duration.ofSeconds(30), () -> allStates(first, "DELIVERED") && allStates(List.of(undelivered), "UNDELIVERED"),
                () -> received.size() + " callbacks so far");

        // the receiver goes away; more messages complete; the gateway restarts while nobody listens
        receiver.stop(0);
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            second.add(post(http, "+336130000" + String.format("%02d", i)));
        }
        Await.until(Duration.ofSeconds(30), () -> second.stream().allMatch(id -> gw.store().find(id).orElseThrow().state().isFinal()),
                () -> "not final");
        gw.close();
        gw = startGateway(smsc, http, hook);
        receiverUp(hook);
        Await.until(Duration.ofSeconds(60), () -> allStates(second, "DELIVERED"), () -> received.size() + " callbacks so far");

        assertEquals(0, badSignatures.get(), "every callback carries a valid HMAC-SHA256 signature");
        for (Map.Entry<String, List<String>> e : byMessage().entrySet()) {
            List<String> states = e.getValue().stream().distinct().toList();
            assertTrue(states.indexOf("ACCEPTED") < states.indexOf("SUBMITTED") && states.indexOf("SUBMITTED") < states.size() - 1,
                    e.getKey() + " arrived in the order " + e.getValue());
        }
        JsonNode failed = received.stream().filter(n -> n.get("id").asText().equals(undelivered) && n.get("state").asText().equals("UNDELIVERED"))
                .findFirst().orElseThrow();
        assertEquals("UNDELIV", failed.get("error").get("stat").asText());
        JsonNode ok = received.stream().filter(n -> n.get("state").asText().equals("DELIVERED")).findFirst().orElseThrow();
        assertTrue(!ok.has("error"), "no error object unless there was an error: " + ok);
        assertEquals("DELIVRD", ok.get("stat").asText());
        assertEquals("noel", ok.get("campaign").asText());
        assertEquals("ref-" + ok.get("to").asText(), ok.get("client_ref").asText());
    }

    /**
     * A receiver that holds a callback gets up to webhook-concurrency callbacks at once, never two for one message, each message's states in
     * order; and one message whose callbacks keep failing holds up no other message's.
     */
    @Test
    void aSlowReceiverGetsCallbacksInParallelButEachMessagesInOrder() throws Exception {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int http = Ports.free();
        int hook = Ports.free();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        java.util.Set<String> inFlightIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger sameMessageTwice = new AtomicInteger();
        java.util.concurrent.CountDownLatch twoAtOnce = new java.util.concurrent.CountDownLatch(2);
        failFirst.set(0);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), hook), 50);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
        List<String> ids = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean othersDone = new java.util.concurrent.atomic.AtomicBoolean();
        receiver.createContext("/hook", ex -> {
            JsonNode n = Http.JSON.readTree(ex.getRequestBody().readAllBytes());
            synchronized (ids) {
                if (!othersDone.get() && n.get("to").asText().equals("+33614000000")) { // the first message posted below
                    ex.sendResponseHeaders(500, -1); // the first message's callbacks fail until every other message's are in
                    ex.close();
                    return;
                }
            }
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            if (!inFlightIds.add(n.get("id").asText())) {
                sameMessageTwice.incrementAndGet();
            }
            try { // the first callback is held until a second one arrives beside it: only a parallel sender gets past this at once
                twoAtOnce.countDown();
                twoAtOnce.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlightIds.remove(n.get("id").asText());
            received.add(n);
            now.decrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        gw = startGateway(smsc, http, hook, ", webhook-concurrency: 4");

        for (int i = 0; i < 40; i++) {
            String id = post(http, "+336140000" + String.format("%02d", i));
            synchronized (ids) {
                ids.add(id);
            }
        }
        List<String> others = ids.subList(1, ids.size());
        Await.until(Duration.ofSeconds(60), () -> allStates(others, "DELIVERED"), () -> received.size() + " callbacks so far");
        assertTrue(!byMessage().containsKey(ids.get(0)), "one message's failing callbacks held up nobody else");
        othersDone.set(true);
        Await.until(Duration.ofSeconds(60), () -> allStates(ids, "DELIVERED"), () -> received.size() + " callbacks so far");
        assertTrue(most.get() > 1 && most.get() <= 4, "at most webhook-concurrency at once, and more than one: " + most.get());
        assertEquals(0, sameMessageTwice.get(), "never two callbacks for one message at once");
        for (Map.Entry<String, List<String>> e : byMessage().entrySet()) {
            assertEquals(List.of("ACCEPTED", "SUBMITTED", "DELIVERED"), e.getValue(), e.getKey() + " arrived in this order");
        }
    }

    /**
     * A callback that keeps failing lets the reader run at most webhook-max-ahead callbacks past it (what a crash could send
     * twice), and everything follows once it is answered.
     */
    @Test
    void aCallbackThatKeepsFailingHoldsTheReaderAtMostMaxAheadPastIt() throws Exception {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int http = Ports.free();
        int hook = Ports.free();
        failFirst.set(0);
        java.util.concurrent.atomic.AtomicBoolean refuse = new java.util.concurrent.atomic.AtomicBoolean(true);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), hook), 50);
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        receiver.createContext("/hook", ex -> {
            JsonNode n = Http.JSON.readTree(ex.getRequestBody().readAllBytes());
            if (refuse.get() && n.get("to").asText().equals("+33615000000")) {
                ex.sendResponseHeaders(503, -1); // this recipient's callbacks fail until the test says otherwise
            } else {
                received.add(n);
                ex.sendResponseHeaders(204, -1);
            }
            ex.close();
        });
        receiver.start();
        gw = startGateway(smsc, http, hook, ", webhook-max-ahead: 10");
        String stuck = post(http, "+33615000000");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(post(http, "+336150000" + String.format("%02d", i)));
        }
        Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state().isFinal()),
                () -> "not final");
        Await.until(Duration.ofSeconds(30), () -> received.size() >= 5, () -> received.size() + " callbacks");
        assertTrue(received.size() <= 10, "no more than webhook-max-ahead past the stuck one: " + received.size());

        refuse.set(false);
        Await.until(Duration.ofSeconds(60), () -> allStates(ids, "DELIVERED") && allStates(List.of(stuck), "DELIVERED"),
                () -> received.size() + " callbacks so far");
    }
}
