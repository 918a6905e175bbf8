package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.MutableClock;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded backlogs answer 429 and store nothing; validity ends unsent messages; operators never block each other. */
class BackpressureTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static String msg(String to) {
        return "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"x\"}";
    }

    @Test
    void aFullBacklogAnswers429WithRetryAfterAndStoresNothing() throws Exception {
        int smsc = Ports.free(); // no SMSC there yet: the backlog cannot drain
        int port = Ports.free();
        String op = Configs.operator("orange", null, true, smsc, 1, 10).replace("    default: true\n", "    default: true\n    max-backlog: 50\n");
        Gateway gw = Gateway.start(Configs.gateway(dir, port, op), Clock.systemUTC());
        open.add(gw);
        Http http = new Http(port);
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Http.Response r = http.post("/v1/messages", msg("+336120000" + String.format("%02d", i)));
            assertEquals(202, r.status(), r.body()::toString);
            accepted.add(r.body().get("id").asText());
        }
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(msg("+33612000099"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(429, refused.statusCode());
        int retryAfter = Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(refused.body().contains("\"error\":\"backlog_full\"") && refused.body().contains("\"operator\":\"orange\"")
                && refused.body().contains("max-backlog 50"), refused.body());
        assertEquals(50, gw.dispatcher("orange").backlog());

        // the SMSC appears: exactly the 50 accepted are sent; the refused one never existed
        SmscSimulator sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        open.add(sim);
        Await.until(Duration.ofSeconds(30), () -> accepted.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> "not all delivered: " + gw.health().detail());
        assertEquals(50, sim.stats().submits.get());
        assertEquals(202, http.post("/v1/messages", msg("+33612000099")).status(), "room again once drained");
    }

    @Test
    void underSustainedOverloadTheBacklogStaysWithinMaxBacklogTimeOfSending() throws Exception {
        int smsc = Ports.free();
        SmscSimulator sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        open.add(sim);
        int port = Ports.free();
        String op = Configs.operator("orange", null, true, smsc, 1, 50).replace("    default: true\n", "    default: true\n    tps: 200\n    max-backlog-time: 2s\n");
        Gateway gw = Gateway.start(Configs.gateway(dir, port, op), Clock.systemUTC());
        open.add(gw);
        Http http = new Http(port);
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        int offered = 0;
        int accepted = 0;
        int refusedByTime = 0;
        long maxBacklog = 0;
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) { // offered as fast as it answers: far above 200/s
            StringBuilder b = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 100; i++) {
                b.append(i == 0 ? "" : ",").append(msg("+3361" + String.format("%08d", offered++)));
            }
            com.fasterxml.jackson.databind.JsonNode r = http.post("/v1/messages/batch", b.append("]}").toString()).body();
            accepted += r.get("accepted").asInt();
            for (com.fasterxml.jackson.databind.JsonNode item : r.get("results")) {
                if (item.has("error") && item.get("message").asText().contains("max-backlog-time 2s")) {
                    refusedByTime++;
                }
            }
            maxBacklog = Math.max(maxBacklog, gw.dispatcher("orange").backlog());
        }
        double drain = gw.dispatcher("orange").drainTps();
        assertTrue(refusedByTime > 0, "offered " + offered + ", accepted " + accepted + ": nothing refused for time");
        // the bound is 2 s of the best rate of the last minute (about 200/s, a burst of the token bucket above it), plus one
        // batch validated before its messages are counted
        assertTrue(maxBacklog <= 2 * Math.max(drain, 250) + 100, "backlog reached " + maxBacklog + " at a drain of " + drain + "/s");
        assertTrue(accepted < offered / 2, "accepted " + accepted + " of " + offered);
    }

    @Test
    void messagesWhoseValidityPassesBeforeTheyCanBeSentEndExpired() {
        MutableClock clock = new MutableClock(System.currentTimeMillis());
        int smsc = Ports.free();
        int port = Ports.free();
        Gateway gw = Gateway.start(Configs.gateway(dir, port, Configs.operator("orange", null, true, smsc, 1, 10)), clock);
        open.add(gw);
        Http http = new Http(port);
        String shortLived = http.post("/v1/messages", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"x\",\"validity\":\"1m\"}")
                .body().get("id").asText();
        String longLived = http.post("/v1/messages", msg("+33612000002")).body().get("id").asText();
        assertEquals(400, http.post("/v1/messages", "{\"to\":\"+33612000003\",\"from\":\"ACME\",\"text\":\"x\",\"validity\":\"2s\"}").status());
        clock.advance(Duration.ofMinutes(2));

        SmscSimulator sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        open.add(sim);
        Await.until(Duration.ofSeconds(30), () -> gw.store().find(longLived).orElseThrow().state() == MessageState.DELIVERED
                && gw.store().find(shortLived).orElseThrow().state().isFinal(), () -> gw.store().find(shortLived).toString());
        assertEquals(MessageState.EXPIRED, gw.store().find(shortLived).orElseThrow().state());
        assertEquals(1, sim.stats().submits.get(), "the expired one was never sent");
    }

    @Test
    void aSlowOperatorsBacklogNeverHoldsBackAnotherOperator() {
        int slowSmsc = Ports.free();
        int fastSmsc = Ports.free();
        SmscSimulator slowSim = new SmscSimulator(Configs.simulator(slowSmsc, "  receipt-delay: 1ms\n")).startUnchecked();
        open.add(slowSim);
        SmscSimulator fastSim = new SmscSimulator(Configs.simulator(fastSmsc, "  receipt-delay: 1ms\n")).startUnchecked();
        open.add(fastSim);
        int port = Ports.free();
        String slow = Configs.operator("slow", "+336", false, slowSmsc, 1, 10).replace("    default: false\n", "    default: false\n    tps: 10\n");
        Gateway gw = Gateway.start(Configs.gateway(dir, port, slow + Configs.operator("fast", "+337", false, fastSmsc, 2, 50)), Clock.systemUTC());
        open.add(gw);
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(port);
        for (int i = 0; i < 300; i++) {
            assertEquals(202, http.post("/v1/messages", msg("+336130" + String.format("%05d", i))).status());
        }
        List<String> fast = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            fast.add(http.post("/v1/messages", msg("+337130" + String.format("%05d", i))).body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(30), () -> fast.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> "fast operator not drained: " + gw.health().detail());
        // all of the fast operator's traffic is through while most of the slow one's still waits its turn
        assertTrue(slowSim.stats().submits.get() < 150, "slow operator sent " + slowSim.stats().submits.get());
        assertEquals(10.0, gw.dispatcher("slow").effectiveTps());
        assertEquals(300, fastSim.stats().submits.get());
    }
}
