package smppgw.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.GatewayExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transient SMSC answers are retried until delivered; unanswered submits expire, retry, then fail; windows never stick. */
class SubmitErrorsTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private SmscSimulator sim;
    private Gateway gw;

    private MessageView view(String id) {
        return gw.store().find(id).orElseThrow();
    }

    @Test
    void throttledSubmitsAreRetriedAndUnansweredOnesExpireThenFail() {
        int smsc = env.smscPort();
        sim = env.simulator("""
                  receipt-delay: 1ms
                  throttle-tps: 100
                  outcomes:
                    - {to-suffix: "66", no-response: true}
                """);
        gw = env.start(Configs.operator("op", null, true, smsc, 2, 50,
                "max-attempts: 3, min-backoff: 20ms, max-backoff: 100ms", "response-timeout: 300ms, enquire-link-interval: 5s"));
        Http http = env.http();

        List<String> ok = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ok.add(http.post("/v1/messages", "{\"to\":\"+3361200" + String.format("%04d", i * 10 + 1)
                    + "\",\"from\":\"ACME\",\"text\":\"t\"}").body().get("id").asText());
        }
        String silent = http.post("/v1/messages", "{\"to\":\"+33612000066\",\"from\":\"ACME\",\"text\":\"t\"}").body().get("id").asText();

        Await.until(Duration.ofSeconds(60), () -> ok.stream().allMatch(id -> view(id).state() == MessageState.DELIVERED),
                () -> ok.stream().filter(id -> view(id).state() != MessageState.DELIVERED).count() + " not delivered");
        assertTrue(sim.stats().throttled.get() > 0, "the simulator answered ESME_RTHROTTLED");
        Event retry = ok.stream().flatMap(id -> view(id).events().stream()).filter(e -> e.type() == EventType.RETRY)
                .findFirst().orElseThrow(() -> new AssertionError("no RETRY event although the SMSC throttled"));
        assertEquals(0x58, retry.status());

        Await.until(Duration.ofSeconds(20), () -> view(silent).state() == MessageState.FAILED, () -> view(silent).events().toString());
        MessageView v = view(silent);
        // two unanswered sends retried, the third fails it; throttling answers in between do not count
        assertEquals(2, v.events().stream().filter(e -> e.type() == EventType.RETRY && e.status() == null).count(), v.events()::toString);
        Event failed = v.events().get(v.events().size() - 1);
        assertTrue(failed.reason().matches("gave up after \\d+ attempts: no response within 300 ms on op-\\d"), failed.reason());
        assertEquals(3, sim.stats().unanswered.get());
        Await.until(Duration.ofSeconds(5), () -> gw.pool().binds("op").windowInUse() == 0,
                () -> "window still holds " + gw.pool().binds("op").windowInUse());
    }

    /** A message retried before a restart keeps its count: max-attempts holds across restarts, not per run. */
    @Test
    void retriesCountedBeforeARestartStillCountAfterIt() {
        int smsc = env.smscPort();
        sim = env.simulator("""
                  receipt-delay: 1ms
                  outcomes:
                    - {to-suffix: "77", submit-status: 0x08}
                """);
        smppgw.config.GatewayConfig yaml = Configs.gateway(env.dir(), env.httpPort(), Configs.operator("op", null, true, smsc, 1, 10,
                "max-attempts: 4, min-backoff: 3s, max-backoff: 3s", "response-timeout: 2s, enquire-link-interval: 5s"));
        gw = env.start(yaml);
        String id = env.http().post("/v1/messages", "{\"to\":\"+33612000077\",\"from\":\"ACME\",\"text\":\"t\"}")
                .body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> view(id).events().stream().anyMatch(e -> e.type() == EventType.RETRY),
                () -> view(id).events().toString());
        gw.close(); // attempt 1 failed (ESME_RSYSERR), attempt 2 was 3 s away
        assertEquals(1, sim.stats().submitsRejected.get());

        gw = env.start(yaml);
        Await.until(Duration.ofSeconds(30), () -> gw.store().find(id).orElseThrow().state() == MessageState.FAILED,
                () -> gw.store().find(id).orElseThrow().events().toString());
        MessageView v = gw.store().find(id).orElseThrow();
        assertEquals(4, sim.stats().submitsRejected.get(), "4 attempts in all, not 1 + 4");
        Event failed = v.events().get(v.events().size() - 1);
        assertTrue(failed.reason().startsWith("gave up after 4 attempts"), failed.reason());
        assertEquals(List.of(1, 2, 3), v.events().stream().filter(e -> e.type() == EventType.RETRY).map(Event::attempt).toList(),
                "attempts numbered on across the restart");
    }

    @Test
    void healthCountsMessagesWaitingForARetry() {
        int smsc = env.smscPort();
        sim = env.simulator("""
                  receipt-delay: 1ms
                  outcomes:
                    - {to-suffix: "66", no-response: true}
                """);
        gw = env.start(Configs.operator("op", null, true, smsc, 1, 50,
                "max-attempts: 3, min-backoff: 20s, max-backoff: 20s", "response-timeout: 300ms, enquire-link-interval: 5s"));
        Http http = env.http();
        for (int i = 0; i < 3; i++) {
            http.post("/v1/messages", "{\"to\":\"+3361200" + i + "066\",\"from\":\"ACME\",\"text\":\"t\"}");
        }
        Await.until(Duration.ofSeconds(10), () -> gw.health().detail().get("operators").get("op").get("retry_waiting").asInt() == 3,
                () -> gw.health().detail().toString());
        assertEquals(0, gw.health().detail().get("operators").get("op").get("backlog").asInt(), "none left in the queue: all wait for a retry");
    }
}
