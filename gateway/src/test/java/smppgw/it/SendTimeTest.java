package smppgw.it;

import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import smppgw.daemon.Gateway;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.MutableClock;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * send_time best: each recipient at the hour of day their earlier messages were read soonest, else the campaign's, else
 * the client's; the history comes from real reads (handset replies through a jSMPP SMSC) at scripted times.
 */
class SendTimeTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private static final String A = "+33612000001";
    private static final String B = "+33612000002";
    private static final String C = "+33612000003";

    @Test
    void eachRecipientAtTheHourTheyReadSoonestElseTheClientsBestHour() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z").toEpochMilli());
        Gateway gw = env.start(env.config("", "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort()
                + ", system-id: gw, password: pw}]\n"), clock);
        Http http = env.http();

        // A reads a 09:00 message in 2 minutes and a 15:00 one in 3 hours; B reads a 20:00 message in 1 minute
        readAfter(gw, http, smsc, clock, A, Duration.ofMinutes(2));
        clock.advance(Duration.ofMillis(Instant.parse("2026-11-30T15:00:00Z").toEpochMilli() - clock.millis()));
        readAfter(gw, http, smsc, clock, A, Duration.ofHours(3));
        clock.advance(Duration.ofMillis(Instant.parse("2026-11-30T20:00:00Z").toEpochMilli() - clock.millis()));
        readAfter(gw, http, smsc, clock, B, Duration.ofMinutes(1));

        assertEquals(200, http.send("PUT", "/v1/campaigns/best", "{\"from\":\"36111\",\"send_time\":\"best\",\"start_at\":\"2026-12-02T00:00:00Z\","
                + "\"variants\":[{\"name\":\"A\",\"text\":\"Bonjour\"}]}").status());
        assertEquals("best", http.get("/v1/campaigns/best").body().get("send_time").asText());
        HttpResponse<String> up = http.postCsv("/v1/campaigns/best/recipients", "to\n" + A + "\n" + B + "\n" + C + "\n");
        assertEquals(3, Http.JSON.readTree(up.body()).get("accepted").asInt(), up.body());
        Map<String, Long> sendAt = new HashMap<>();
        gw.store().forCampaign("best", id -> {
            Message m = gw.store().find(id).orElseThrow().message();
            sendAt.put(m.to(), m.sendAt());
        });
        assertEquals(Instant.parse("2026-12-02T09:00:00Z").toEpochMilli(), sendAt.get(A), "A's own best hour: 09 (2 min), not 15 (3 h)");
        assertEquals(Instant.parse("2026-12-02T20:00:00Z").toEpochMilli(), sendAt.get(B), "B's own: 20");
        assertEquals(Instant.parse("2026-12-02T20:00:00Z").toEpochMilli(), sendAt.get(C),
                "C has no history, the new campaign no reads: the client's best hour (20: read in 1 min)");
        assertEquals(400, http.send("PUT", "/v1/campaigns/x", "{\"from\":\"36111\",\"send_time\":\"soon\",\"variants\":[{\"name\":\"A\",\"text\":\"x\"}]}").status());
    }

    /** A message to {@code to} now, delivered; the handset replies {@code after} later (by the gateway's clock). */
    private static void readAfter(Gateway gw, Http http, JsmppSmsc smsc, MutableClock clock, String to, Duration after) throws Exception {
        Http.Response r = http.post("/v1/messages", "{\"to\":\"" + to + "\",\"from\":\"36111\",\"text\":\"Une question ?\",\"campaign\":\"old\"}");
        assertEquals(202, r.status(), r.body()::toString);
        String id = r.body().get("id").asText();
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, id) == MessageState.DELIVERED, () -> "not delivered: " + Stored.state(gw, id));
        clock.advance(after);
        smsc.handsetSays(to.substring(1), "36111", "Oui merci");
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, id) == MessageState.READ, () -> "not read: " + Stored.state(gw, id));
    }
}
