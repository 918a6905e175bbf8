package smppgw.it;

import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.Event;
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
 * The three id layouts the issue measured against independent SMSCs, each with 1,500 messages through a jSMPP SMSC
 * that writes text-only receipts (no receipted_message_id TLV), gives sequential ids, sends a fifth of its receipts
 * before the submit_sm_resp and each receipt on a bind picked at random: every message ends in its scripted state with
 * exactly one receipt, and the learned format is the SMSC's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReceiptIdLayoutsTest {
    private static final int MESSAGES = 1500;

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private JsmppSmsc smsc;
    private Gateway gw;

    private static LongFunction<String> layout(String how) {
        return switch (how) {
            case "hex" -> Long::toHexString;
            case "HEX-padded" -> id -> String.format("%016X", id);
            case "decimal" -> Long::toString;
            case "decimal-padded" -> id -> String.format("%010d", id);
            default -> throw new IllegalArgumentException(how);
        };
    }

    @ParameterizedTest(name = "response {0}, receipt {1}")
    @CsvSource({"hex, decimal-padded, hex-to-dec", "decimal, hex, dec-to-hex", "HEX-padded, hex, same"})
    void everyReceiptLandsOnItsOwnMessage(String response, String receipt, String expectedFormat) throws Exception {
        Random random = new Random(42);
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(sm.getDestAddress().endsWith("3")
                ? DeliveryReceiptState.UNDELIV : DeliveryReceiptState.DELIVRD, random.nextInt(5) == 0 ? 0 : 20 + random.nextInt(30)), 100);
        smsc.responseId = layout(response);
        smsc.receiptId = layout(receipt);
        smsc.receiptsOnAnyBind = true;
        smsc.answerDelayMs = 5; // receipts sent at once beat it
        gw = env.start(Configs.operator("op", null, true, env.smscPort(), 2, 100));
        Http http = env.http();
        List<String> ids = new ArrayList<>();
        for (int b = 0; b < MESSAGES / 100; b++) {
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 100; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"to\":\"+4479460").append(String.format("%05d", b * 100 + i))
                        .append("\",\"from\":\"ACME\",\"text\":\"m\"}");
            }
            http.post("/v1/messages/batch", batch.append("]}").toString()).body().get("results").forEach(r -> ids.add(r.get("id").asText()));
        }
        Await.until(Duration.ofSeconds(120), () -> ids.stream().allMatch(id -> view(id).state().isFinal()),
                () -> ids.stream().map(id -> view(id).state()).collect(Collectors.groupingBy(s -> s, Collectors.counting())).toString()
                        + " " + gw.status().path("operators").path("op").path("receipts"));
        for (String id : ids) {
            MessageView v = view(id);
            boolean undeliv = v.message().to().endsWith("3");
            assertEquals(undeliv ? MessageState.UNDELIVERED : MessageState.DELIVERED, v.state(), v.events()::toString);
            List<Event> receipts = v.events().stream().filter(e -> e.type() == EventType.RECEIPT).toList();
            assertEquals(1, receipts.size(), "exactly one receipt: " + v.events());
            String submittedId = v.events().stream().filter(e -> e.type() == EventType.SUBMITTED).findFirst().orElseThrow().smscId();
            long n = response.startsWith("hex") || response.startsWith("HEX") ? Long.parseLong(submittedId, 16) : Long.parseLong(submittedId);
            assertEquals(layout(receipt).apply(n).toLowerCase(Locale.ROOT), receipts.get(0).smscId().toLowerCase(Locale.ROOT),
                    "its own receipt");
        }
        Map<String, Object> seen = Map.of("receipts", gw.status().path("operators").path("op").path("receipts").toString());
        assertEquals(expectedFormat, gw.status().path("operators").path("op").path("receipts").path("learned").asText(), seen::toString);
        assertTrue(smsc.submits.size() >= MESSAGES);
    }

    private MessageView view(String id) {
        return gw.store().find(id).orElseThrow();
    }
}
