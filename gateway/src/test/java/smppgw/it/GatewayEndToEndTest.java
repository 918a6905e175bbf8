package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway against two simulators over real TCP: 10,000 messages over HTTP to two operators, each
 * ending DELIVERED or the failure its destination scripts, while one operator's binds are dropped.
 */
class GatewayEndToEndTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @Test
    void tenThousandMessagesOverTwoOperatorsReachTheirScriptedStatesThroughABindDrop() throws Exception {
        int portA = Ports.free();
        int portB = Ports.free();
        // Operator a: hex ids in submit_sm_resp, decimal in receipts, text-only receipts, short dates.
        SmscSimulator simA = track(new SmscSimulator(scriptedA(portA, "20ms")).start());
        // Operator b: decimal ids, receipt TLVs, dates with seconds.
        SmscSimulator simB = track(new SmscSimulator(scriptedB(portB, "5ms")).start());
        int httpPort = Ports.free();
        Gateway gw = track(Gateway.start(Configs.gateway(dir, httpPort,
                Configs.operator("a", "+336", false, portA, 2, 50) + Configs.operator("b", "+337", true, portB, 2, 50)),
                Clock.systemUTC()));
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());

        Http http = new Http(httpPort);
        int n = 10_000;
        String[] ids = new String[n];
        String[] to = new String[n];
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Void>> posts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            to[i] = (i % 2 == 0 ? "+336" : "+337") + String.format("%08d", i / 2); // each operator: numbers 0..4999
            int k = i;
            inFlight.acquire();
            posts.add(http.postAsync("/v1/messages", "{\"to\":\"" + to[i] + "\",\"from\":\"ACME\",\"text\":\"Bonjour " + i + "\"}")
                    .thenAccept(r -> {
                        assertEquals(202, r.status(), () -> r.body().toString());
                        ids[k] = r.body().get("id").asText();
                    }).whenComplete((v, e) -> inFlight.release()));
            if (i == 3_000) {
                simA.dropBinds(); // every bind of operator a drops mid-run
            }
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();

        Await.until(Duration.ofSeconds(120), () -> countFinal(gw, ids) == n,
                () -> (n - countFinal(gw, ids)) + " of " + n + " messages not final yet; health " + gw.health().detail());

        Map<MessageState, Integer> counts = new EnumMap<>(MessageState.class);
        for (int i = 0; i < n; i++) {
            MessageView v = gw.store().find(ids[i]).orElseThrow();
            MessageState expected = expected(to[i]);
            assertEquals(expected, v.state(), () -> "message to " + v.message().to() + ": " + v.events());
            assertEquals(to[i].startsWith("+336") ? "a" : "b", v.message().operator());
            counts.merge(v.state(), 1, Integer::sum);
        }
        // 5,000 numbers per operator: 50 end in each scripted suffix
        assertEquals(Map.of(MessageState.DELIVERED, 9_800, MessageState.UNDELIVERED, 50, MessageState.FAILED, 50,
                MessageState.EXPIRED, 50, MessageState.REJECTED, 50), counts);
        assertTrue(simA.stats().bindsDropped.get() >= 2, "binds were dropped");
        assertTrue(gw.pool().binds("a").sessions().stream().allMatch(s -> s.bindCount() >= 2), "operator a rebound after the drop");

        // A message's view over HTTP shows its SMSC id and the receipt's timestamps.
        JsonNode view = http.get("/v1/messages/" + ids[0]).body();
        assertEquals("DELIVERED", view.get("state").asText());
        assertEquals(1, view.get("smsc_ids").size());
        assertEquals("RECEIPT", view.get("events").get(view.get("events").size() - 1).get("type").asText());
    }

    @Test
    void operatorsSharingOneSmscAccountMatchEveryReceiptWhicheverBindItArrivesOn() throws Exception {
        int port = Ports.free();
        SmscSimulator sim = track(new SmscSimulator(Configs.simulator(port, "  receipt-delay: 1ms\n")).start());
        int httpPort = Ports.free();
        // two routes (say, two price plans) over one SMSC account: the SMSC hands each receipt to any bind of it
        Gateway gw = track(Gateway.start(Configs.gateway(dir, httpPort,
                Configs.operator("a", "+336", false, port, 1, 50) + Configs.operator("b", "+337", true, port, 1, 50)),
                Clock.systemUTC()));
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(httpPort);
        String[] ids = new String[400];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = http.post("/v1/messages", "{\"to\":\"" + (i % 2 == 0 ? "+336" : "+337") + String.format("%08d", i)
                    + "\",\"from\":\"ACME\",\"text\":\"x\"}").body().get("id").asText();
        }
        Await.until(Duration.ofSeconds(60), () -> java.util.Arrays.stream(ids).allMatch(id -> gw.store().find(id).orElseThrow().state()
                == MessageState.DELIVERED), () -> java.util.Arrays.stream(ids).filter(id -> gw.store().find(id).orElseThrow().state()
                != MessageState.DELIVERED).count() + " of " + ids.length + " not delivered");
        // the last deliver_sm_resp may still be on its way to the simulator when the state says DELIVERED
        Await.until(Duration.ofSeconds(10), () -> sim.stats().receiptsAcked.get() == ids.length,
                () -> sim.stats().receiptsAcked.get() + " of " + ids.length + " receipts acknowledged");
        assertEquals(ids.length, sim.stats().receiptsAcked.get(), "and no more");
    }

    /** Operator a's simulator: hex ids in submit_sm_resp, decimal in text-only receipts, short dates; +...13 UNDELIV, +...77 refused. */
    static smppgw.config.SimulatorConfig scriptedA(int port, String receiptDelay) {
        return Configs.simulator(port, """
                  id-format: hex
                  receipt-id-format: decimal
                  receipt-tlvs: false
                  receipt-delay: %s
                  outcomes:
                    - {to-suffix: "13", stat: UNDELIV}
                    - {to-suffix: "77", submit-status: 0x0B}
                """.formatted(receiptDelay));
    }

    /** Operator b's simulator: decimal ids, receipt TLVs, dates with seconds; +...99 EXPIRED, +...55 REJECTD. */
    static smppgw.config.SimulatorConfig scriptedB(int port, String receiptDelay) {
        return Configs.simulator(port, """
                  id-format: decimal
                  receipt-tlvs: true
                  long-dates: true
                  receipt-delay: %s
                  outcomes:
                    - {to-suffix: "99", stat: EXPIRED}
                    - {to-suffix: "55", stat: REJECTD}
                """.formatted(receiptDelay));
    }

    /** Suffix rules of the two simulators: a (+336) 13 → UNDELIVERED, 77 → FAILED; b (+337) 99 → EXPIRED, 55 → REJECTED. */
    static MessageState expected(String to) {
        if (to.startsWith("+336")) {
            return to.endsWith("13") ? MessageState.UNDELIVERED : to.endsWith("77") ? MessageState.FAILED : MessageState.DELIVERED;
        }
        return to.endsWith("99") ? MessageState.EXPIRED : to.endsWith("55") ? MessageState.REJECTED : MessageState.DELIVERED;
    }

    private static int countFinal(Gateway gw, String[] ids) {
        int c = 0;
        for (String id : ids) {
            if (gw.store().find(id).map(v -> v.state().isFinal()).orElse(false)) {
                c++;
            }
        }
        return c;
    }
}
