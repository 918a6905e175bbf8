package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversions reported three ways, with values, in the report per variant, and a follow-up unless converted. */
class ConversionsTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private static String number(int i) {
        return String.format("+336200%05d", i);
    }

    @Test
    void conversionsByIdNumberAndCodeCountPerVariantAndStopTheFollowUp() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                + ", system-id: gw, password: pw}]\n");
        Http http = env.http();
        assertEquals(200, http.send("PUT", "/v1/campaigns/noel", "{\"from\":\"ACME\",\"variants\":[{\"name\":\"A\",\"text\":\"A {first_name} code {promo}\"},"
                + "{\"name\":\"B\",\"text\":\"B {first_name} code {promo}\"}],\"follow_up\":{\"after\":\"1s\",\"unless\":\"converted\",\"text\":\"Encore {first_name}\"}}").status());
        StringBuilder csv = new StringBuilder("to,first_name\n");
        for (int i = 0; i < 40; i++) {
            csv.append(number(i)).append(",P").append(i).append('\n');
        }
        HttpResponse<String> up = http.postCsv("/v1/campaigns/noel/recipients", csv.toString());
        assertEquals(40, Http.JSON.readTree(up.body()).get("accepted").asInt(), up.body());
        Map<String, Message> byNumber = new HashMap<>();
        gw.store().forCampaign("noel", id -> {
            Message m = gw.store().find(id).orElseThrow().message();
            byNumber.put(m.to(), m);
        });
        Await.until(Duration.ofSeconds(30), () -> byNumber.values().stream().allMatch(m -> Stored.state(gw, m.id()) == MessageState.DELIVERED),
                () -> "not delivered");

        // i % 4 == 0: by message id (value 10); i % 4 == 1: by number and campaign (value 2.5); i == 2: by its promo code
        Map<String, double[]> truth = new HashMap<>(); // variant -> {converted, value}
        for (int i = 0; i < 40; i++) {
            Message m = byNumber.get(number(i));
            Http.Response r;
            if (i % 4 == 0) {
                r = http.post("/v1/conversions", "{\"message_id\":\"" + m.id() + "\",\"value\":10}");
                truth.computeIfAbsent(m.variant(), k -> new double[2])[1] += 10;
            } else if (i % 4 == 1) {
                r = http.post("/v1/conversions", "{\"to\":\"" + number(i) + "\",\"campaign\":\"noel\",\"value\":2.5}");
                truth.computeIfAbsent(m.variant(), k -> new double[2])[1] += 2.5;
            } else if (i == 2) {
                r = http.post("/v1/conversions", "{\"code\":\"" + m.promoCode() + "\"}");
                truth.computeIfAbsent(m.variant(), k -> new double[2]);
            } else {
                continue;
            }
            assertEquals(200, r.status(), r.body()::toString);
            assertEquals(m.id(), r.body().get("message_id").asText());
            assertEquals(m.variant(), r.body().get("variant").asText());
            truth.get(m.variant())[0]++;
        }
        assertEquals(MessageState.READ, Stored.state(gw, byNumber.get(number(2)).id()), "the code conversion redeemed the code: READ via code");
        assertEquals(400, http.post("/v1/conversions", "{\"message_id\":\"x\",\"code\":\"y\"}").status());
        assertEquals(400, http.post("/v1/conversions", "{\"message_id\":\"" + byNumber.get(number(3)).id() + "\",\"value\":-1}").status());
        assertEquals(404, http.post("/v1/conversions", "{\"message_id\":\"01NOPE\"}").status());
        assertEquals(404, http.post("/v1/conversions", "{\"to\":\"+33699999999\",\"campaign\":\"noel\"}").status());
        assertEquals(404, http.post("/v1/conversions", "{\"code\":\"ZZZZZZZZ\"}").status());

        JsonNode report = http.get("/v1/campaigns/noel/report").body();
        for (JsonNode v : report.get("variants")) {
            double[] t = truth.getOrDefault(v.get("name").asText(), new double[2]);
            assertEquals((int) t[0], v.get("converted").asInt(), v::toString);
            assertEquals(t[1], v.get("value").asDouble(), 1e-9, v::toString);
        }
        assertEquals(21, report.get("converted").asInt()); // 10 + 10 + 1
        assertEquals(10 * 10 + 10 * 2.5, report.get("value").asDouble(), 1e-9);
        assertEquals("conversion_rate", report.get("winner_test").get("metric").asText());

        // the follow-up (unless converted) goes to the 19 who did not convert
        Await.until(Duration.ofSeconds(10), () -> System.currentTimeMillis() > Stored.lastReceiptAt(gw, byNumber.values()) + 1100, () -> "after");
        assertEquals(19, gw.followUps().walk());
        Await.until(Duration.ofSeconds(30), () -> smsc.submits.size() >= 40 + 19, () -> smsc.submits.size() + " submits");
        Set<String> followed = smsc.submits.stream().filter(sm -> new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1).startsWith("Encore"))
                .map(sm -> "+" + sm.getDestAddress()).collect(Collectors.toSet());
        Set<String> notConverted = java.util.stream.IntStream.range(0, 40).filter(i -> i % 4 > 1 && i != 2).mapToObj(ConversionsTest::number)
                .collect(Collectors.toSet());
        assertEquals(notConverted, followed);
        JsonNode events = http.get("/v1/messages/" + byNumber.get(number(0)).id()).body().get("events");
        assertTrue(List.of(Http.JSON.convertValue(events, Object[].class)).toString().contains("value=10.0"), events::toString);
    }


}
