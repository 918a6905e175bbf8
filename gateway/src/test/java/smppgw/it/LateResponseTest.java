package smppgw.it;

import org.jsmpp.bean.SubmitSm;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.GatewayExtension;
import smppgw.testing.JsmppSmsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SMSC (jSMPP) that answers every submit_sm 3 s after it came, with a response timeout of 2 s and 3 attempts: an
 * unanswered submit is "outcome unknown", not failed. The late OK makes the message SUBMITTED with its SMSC id (the
 * receipt, which came before it, then matches), and the retry waiting for it is dropped.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LateResponseTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private JsmppSmsc smsc;
    private Gateway gw;

    @Test
    void answersAfterTheTimeoutDeliverEveryMessageAndNoneIsSentMoreThanTwice() throws Exception {
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 100));
        smsc.answerDelayMs = 3000;
        gw = env.start(Configs.operator("slow", null, true, env.smscPort(), 1, 50,
                "max-attempts: 3, min-backoff: 200ms, max-backoff: 1s", "response-timeout: 2s, enquire-link-interval: 5s"));
        Http http = env.http();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+4479460000" + String.format("%02d", i) + "\",\"from\":\"ACME\",\"text\":\"t" + i + "\"}");
            assertEquals(202, r.status());
            ids.add(r.body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> view(id).state() == MessageState.DELIVERED),
                () -> ids.stream().map(id -> view(id).state()).collect(Collectors.groupingBy(s -> s, Collectors.counting())).toString());

        Map<String, Long> copies = smsc.submits.stream().collect(Collectors.groupingBy(SubmitSm::getDestAddress, Collectors.counting()));
        assertEquals(20, copies.size());
        assertTrue(copies.values().stream().allMatch(c -> c <= 2), "none reaches the SMSC more than twice: " + copies);
        for (String id : ids) {
            MessageView v = view(id);
            assertTrue(v.events().stream().anyMatch(e -> e.type() == EventType.SUBMITTED), v.events()::toString);
            assertTrue(v.events().stream().noneMatch(e -> e.type() == EventType.FAILED), v.events()::toString);
        }
        String metrics = gw.metrics().scrape() == null ? "" : new String(gw.metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(metrics.contains("smppgw_late_responses_total{operator=\"slow\",outcome=\"ok\"}"), "late answers are counted");
        long resent = smsc.submits.size() - 20;
        double counted = metrics.lines().filter(l -> l.startsWith("smppgw_resent_after_timeout_total{operator=\"slow\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertEquals(resent, (long) counted, "every resend after a timeout is counted");
    }

    private MessageView view(String id) {
        return gw.store().find(id).orElseThrow();
    }
}
