package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancelling what is still scheduled: one message, or a whole campaign; what is already on its way is too late. */
class CancelTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private String send(Http http, String to, String sendAt) {
        Http.Response r = http.post("/v1/messages", "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"hi\"" + (sendAt == null ? "" : ",\"send_at\":\"" + sendAt + "\"") + "}");
        assertEquals(202, r.status(), r.body()::toString);
        return r.body().get("id").asText();
    }

    @Test
    void aScheduledMessageIsCancelledAndNeverSentWhileItsNeighbourGoes() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        Http http = env.http();
        String soon = Instant.now().plusMillis(1500).toString();
        String cancelled = send(http, "+33612000001", soon);
        String control = send(http, "+33612000002", soon);
        String now = send(http, "+33612000003", null);
        assertEquals(MessageState.SCHEDULED, Stored.state(gw, cancelled));

        Http.Response del = http.send("DELETE", "/v1/messages/" + cancelled, null);
        assertEquals(200, del.status(), del.body()::toString);
        assertEquals("CANCELLED", del.body().get("state").asText());
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, control) == MessageState.DELIVERED && Stored.state(gw, now) == MessageState.DELIVERED,
                () -> "control " + Stored.state(gw, control) + ", now " + Stored.state(gw, now));
        assertEquals(MessageState.CANCELLED, Stored.state(gw, cancelled), "its send time passed: still cancelled");
        assertTrue(smsc.submits.stream().noneMatch(sm -> sm.getDestAddress().equals("33612000001")), "never reached the SMSC");
        assertEquals("CANCELLED", http.get("/v1/messages/" + cancelled).body().get("state").asText());

        Http.Response again = http.send("DELETE", "/v1/messages/" + cancelled, null);
        assertEquals(409, again.status());
        assertEquals("too_late", again.body().get("error").asText());
        Http.Response sent = http.send("DELETE", "/v1/messages/" + now, null);
        assertEquals(409, sent.status());
        assertEquals("DELIVERED", sent.body().get("state").asText());
        assertEquals(404, http.send("DELETE", "/v1/messages/01NOSUCHMESSAGE", null).status());
    }

    @Test
    void cancellingACampaignCancelsWhatWaitsForItsStartAndClosesIt() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        Http http = env.http();
        String start = java.time.OffsetDateTime.now().plusHours(1).toString();
        assertEquals(200, http.send("PUT", "/v1/campaigns/later", "{\"from\":\"ACME\",\"start_at\":\"" + start + "\",\"variants\":[{\"name\":\"A\",\"text\":\"Bientot {first_name}\"}],"
                + "\"follow_up\":{\"after\":\"1s\",\"text\":\"Encore\"}}").status());
        String csv = recipients("+336400", 50);
        assertEquals(50, Http.JSON.readTree(upload(csv).body()).get("accepted").asInt());
        Http.Response cancel = http.post("/v1/campaigns/later/cancel", "{}");
        assertEquals(200, cancel.status(), cancel.body()::toString);
        assertEquals(50, cancel.body().get("cancelled").asInt());
        assertEquals(0, cancel.body().get("too_late").asInt());
        HttpResponse<String> closed = upload(csv);
        assertEquals(409, closed.statusCode(), closed.body());
        assertEquals(409, http.send("PUT", "/v1/campaigns/later", "{\"track_links\":false}").status(), "a cancelled campaign stays cancelled");
        JsonNode report = http.get("/v1/campaigns/later/report").body();
        assertEquals(50, report.get("states").get("CANCELLED").asInt(), report::toString);
        assertEquals(0, gw.followUps().walk());
        assertEquals(0, smsc.submits.size());
        assertTrue(http.get("/v1/campaigns/later").body().has("cancelled_at"));
    }

    @Test
    void aPausedCampaignHoldsItsScheduledMessagesPastTheirTimeAndResumeSendsThem() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        Http http = env.http();
        String start = java.time.OffsetDateTime.now().plusSeconds(2).toString();
        for (String c : new String[]{"later", "control"}) {
            assertEquals(200, http.send("PUT", "/v1/campaigns/" + c, "{\"from\":\"ACME\",\"start_at\":\"" + start + "\",\"variants\":[{\"name\":\"A\",\"text\":\"" + c + " {first_name}\"}]}").status());
        }
        String later = recipients("+336500", 20);
        String control = recipients("+336510", 20);
        assertEquals(20, Http.JSON.readTree(upload(later).body()).get("accepted").asInt());
        assertEquals(20, Http.JSON.readTree(upload("control", control).body()).get("accepted").asInt());
        Http.Response paused = http.post("/v1/campaigns/later/pause", "{}");
        assertEquals(200, paused.status(), paused.body()::toString);
        assertEquals(20, paused.body().get("messages").asInt());
        assertEquals(409, upload(later).statusCode(), "no uploads while paused");
        assertEquals(200, http.send("PUT", "/v1/campaigns/later", "{\"from\":\"ACME\",\"variants\":[{\"name\":\"A\",\"text\":\"x\"}]}").status());
        assertTrue(http.get("/v1/campaigns/later").body().has("paused_at"), "a PUT does not resume it");

        // the control campaign, scheduled for the same time, goes; the paused one stays held past its time
        java.util.List<String> controlIds = new java.util.ArrayList<>();
        java.util.List<String> laterIds = new java.util.ArrayList<>();
        gw.store().forCampaign("control", controlIds::add);
        gw.store().forCampaign("later", laterIds::add);
        Await.until(Duration.ofSeconds(20), () -> controlIds.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "control not delivered");
        assertTrue(laterIds.stream().allMatch(id -> Stored.state(gw, id) == MessageState.SCHEDULED), "held past their time");
        assertTrue(smsc.submits.stream().noneMatch(sm -> sm.getDestAddress().startsWith("336500")), "none of the paused campaign sent");

        Http.Response resumed = http.post("/v1/campaigns/later/resume", "{}");
        assertEquals(200, resumed.status(), resumed.body()::toString);
        assertEquals(20, resumed.body().get("messages").asInt());
        Await.until(Duration.ofSeconds(20), () -> laterIds.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "not sent after resume");
        assertEquals(40, smsc.submits.size(), "each message once");
    }

    /** A CSV of {@code n} recipients {@code prefix}00000… with a first_name each. */
    private static String recipients(String prefix, int n) {
        StringBuilder csv = new StringBuilder("to,first_name\n");
        for (int i = 0; i < n; i++) {
            csv.append(prefix).append(String.format("%05d", i)).append(",P").append(i).append('\n');
        }
        return csv.toString();
    }

    private HttpResponse<String> upload(String csv) throws Exception {
        return upload("later", csv);
    }

    private HttpResponse<String> upload(String campaign, String csv) throws Exception {
        return env.http().postCsv("/v1/campaigns/" + campaign + "/recipients", csv);
    }
}
