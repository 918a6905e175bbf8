package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelling and pausing what is queued for its operator: the journal thread and the dispatcher claim each message, so one
 * not yet taken is cancelled (or held) and never sent, one taken is too late, and a restart changes neither.
 */
class QueuedCancelTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private String operators() {
        return "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n";
    }

    private static String send(Http http, String to) {
        Http.Response r = http.post("/v1/messages", "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"hi\"}");
        assertEquals(202, r.status(), r.body()::toString);
        return r.body().get("id").asText();
    }

    private static long sentTo(JsmppSmsc smsc, String to) {
        return smsc.submits.stream().filter(sm -> sm.getDestAddress().equals(to.substring(1))).count();
    }

    @Test
    void aQueuedMessageNotYetTakenIsCancelledAndNeverSentOneTakenIsTooLate() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", operators());
        Http http = env.http();
        gw.pause("op"); // the dispatcher reads nothing: what is sent now stays queued
        String cancelled = send(http, "+33612000001");
        String kept = send(http, "+33612000002");
        assertEquals(MessageState.ACCEPTED, Stored.state(gw, cancelled));

        Http.Response del = http.send("DELETE", "/v1/messages/" + cancelled, null);
        assertEquals(200, del.status(), del.body()::toString);
        assertEquals("CANCELLED", del.body().get("state").asText());
        gw.resume("op");
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, kept) == MessageState.DELIVERED, () -> "kept " + Stored.state(gw, kept));
        assertEquals(MessageState.CANCELLED, Stored.state(gw, cancelled));
        assertEquals(0, sentTo(smsc, "+33612000001"), "a cancelled queued message never reaches the SMSC");
        assertEquals(0, gw.store().claims().size(), "the dispatcher met the stop and let it go; nothing is held in memory");

        // one the dispatcher has taken (its submit_sm on its way to the SMSC, which answers 3 s later) is too late, and goes on
        smsc.answerDelayMs = 3000;
        String taken = send(http, "+33612000003");
        Await.until(Duration.ofSeconds(10), () -> gw.store().claims().size() == 1, () -> "not taken by the dispatcher");
        Http.Response late = http.send("DELETE", "/v1/messages/" + taken, null);
        assertEquals(409, late.status(), late.body()::toString);
        assertEquals("too_late", late.body().get("error").asText());
        assertEquals("ACCEPTED", late.body().get("state").asText());
        assertTrue(late.body().get("message").asText().contains("taken"), late.body()::toString);
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, taken) == MessageState.DELIVERED, () -> "taken " + Stored.state(gw, taken));
        assertEquals(1, sentTo(smsc, "+33612000003"));
    }

    @Test
    void pausingACampaignHoldsItsQueuedMessagesAcrossARestartAndResumeSendsEachOnce() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        GatewayConfig config = env.config("", operators());
        Gateway gw = env.start(config);
        Http http = env.http();
        assertEquals(200, http.send("PUT", "/v1/campaigns/now", "{\"from\":\"ACME\",\"variants\":[{\"name\":\"A\",\"text\":\"Vite {first_name}\"}]}").status());
        gw.pause("op");
        StringBuilder csv = new StringBuilder("to,first_name\n");
        for (int i = 0; i < 20; i++) {
            csv.append(String.format("+336520%05d", i)).append(",P").append(i).append('\n');
        }
        assertEquals(20, Http.JSON.readTree(http.postCsv("/v1/campaigns/now/recipients", csv.toString()).body()).get("accepted").asInt());
        List<String> ids = new ArrayList<>();
        gw.store().forCampaign("now", ids::add);
        assertTrue(ids.stream().allMatch(id -> Stored.state(gw, id) == MessageState.ACCEPTED), "queued: no start_at");
        String single = send(http, "+33612000009");
        assertEquals(200, http.send("DELETE", "/v1/messages/" + single, null).status());

        Http.Response paused = http.post("/v1/campaigns/now/pause", "{}");
        assertEquals(200, paused.status(), paused.body()::toString);
        assertEquals(20, paused.body().get("messages").asInt(), "every queued message held");
        assertTrue(ids.stream().allMatch(id -> Stored.state(gw, id) == MessageState.SCHEDULED), "held");

        // a restart: the queue entries are read again, with no claim in memory; the journaled state decides
        gw.close();
        Gateway again = env.start(config);
        String control = send(http, "+33612000010");
        Await.until(Duration.ofSeconds(20), () -> Stored.state(again, control) == MessageState.DELIVERED, () -> "control " + Stored.state(again, control));
        assertEquals(1, smsc.submits.size(), "only the control message went: " + smsc.submits.size());
        assertEquals(MessageState.CANCELLED, Stored.state(again, single));

        Http.Response resumed = http.post("/v1/campaigns/now/resume", "{}");
        assertEquals(200, resumed.status(), resumed.body()::toString);
        assertEquals(20, resumed.body().get("messages").asInt());
        Await.until(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> Stored.state(again, id) == MessageState.DELIVERED), () -> "not all sent after resume");
        assertEquals(21, smsc.submits.size(), "each held message once, the cancelled one never");
        assertEquals(0, sentTo(smsc, "+33612000009"));
    }

    @Test
    void aHeldMessageResumedBeforeItsOldQueueEntryIsReadAfterARestartIsSentOnce() throws Exception {
        // more messages than the window holds: the old entry of the first ones is long answered when their new one is read
        final int N = 300;
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        GatewayConfig config = env.config("", operators());
        Gateway gw = env.start(config);
        Http http = env.http();
        assertEquals(200, http.send("PUT", "/v1/campaigns/held", "{\"from\":\"ACME\",\"variants\":[{\"name\":\"A\",\"text\":\"Hop\"}]}").status());
        gw.pause("op");
        assertEquals(N, Http.JSON.readTree(http.postCsv("/v1/campaigns/held/recipients", recipients("+336530", N)).body()).get("accepted").asInt());
        List<String> ids = new ArrayList<>();
        gw.store().forCampaign("held", ids::add);
        assertEquals(N, http.post("/v1/campaigns/held/pause", "{}").body().get("messages").asInt(), "every queued message held");

        // restarted with its SMSC down: the dispatcher cannot read its queue (no bind), so the entries queued before the
        // hold are still unread when the resume queues the messages again
        gw.close();
        smsc.close();
        Gateway again = env.launch(config, java.time.Clock.systemUTC());
        assertEquals(N, http.post("/v1/campaigns/held/resume", "{}").body().get("messages").asInt());
        try (JsmppSmsc back = new JsmppSmsc(env.smscPort(), (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0))) {
            Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> Stored.state(again, id) == MessageState.DELIVERED),
                    () -> "not all sent after resume");
            again.pause("op"); // nothing more leaves: what the SMSC saw is final
            for (int i = 0; i < N; i++) {
                assertEquals(1, sentTo(back, String.format("+336530%05d", i)), "sent once: " + i);
            }
            assertEquals(0, smsc.submits.size(), "nothing reached the first SMSC: the campaign was held before any was sent");
        }
    }

    @Test
    void aDraftKeepsItsUploadsUntilStartedThenSendsThemWithTheirSpacingFromNow() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", operators());
        Http http = env.http();
        Http.Response put = http.send("PUT", "/v1/campaigns/draft", "{\"draft\":true,\"from\":\"ACME\",\"spread\":\"4s\","
                + "\"variants\":[{\"name\":\"A\",\"text\":\"Brouillon {first_name}\"}]}");
        assertEquals(200, put.status(), put.body()::toString);
        assertEquals("draft", put.body().get("status").asText());
        String csv = "to,first_name\n+33653000001,A\n+33653000002,B\n+33653000003,C\n+33653000004,D\n";
        assertEquals(4, Http.JSON.readTree(http.postCsv("/v1/campaigns/draft/recipients", csv).body()).get("accepted").asInt());
        List<String> ids = new ArrayList<>();
        gw.store().forCampaign("draft", ids::add);
        assertEquals(4, ids.size());
        assertTrue(ids.stream().allMatch(id -> Stored.state(gw, id) == MessageState.SCHEDULED));

        Http.Response keep = http.send("PUT", "/v1/campaigns/draft", "{\"from\":\"ACME\",\"spread\":\"4s\",\"variants\":[{\"name\":\"A\",\"text\":\"Brouillon {first_name}\"}]}");
        assertEquals("draft", keep.body().get("status").asText(), "a PUT does not start it");
        assertEquals(409, http.send("PUT", "/v1/campaigns/draft", "{\"draft\":false,\"from\":\"ACME\"}").status());
        String control = send(http, "+33612000011");
        Await.until(Duration.ofSeconds(20), () -> Stored.state(gw, control) == MessageState.DELIVERED, () -> "control " + Stored.state(gw, control));
        assertEquals(1, smsc.submits.size(), "nothing of the draft sent");
        assertEquals("draft", campaignStatus(http, "draft"));

        long before = Instant.now().toEpochMilli();
        Http.Response started = http.post("/v1/campaigns/draft/start", "{}");
        assertEquals(200, started.status(), started.body()::toString);
        assertEquals(4, started.body().get("messages").asInt());
        assertEquals("running", http.get("/v1/campaigns/draft").body().get("status").asText());
        List<Long> at = new ArrayList<>();
        for (String id : ids) {
            at.add(Instant.parse(http.get("/v1/messages/" + id).body().get("send_at").asText()).toEpochMilli());
        }
        at.sort(null);
        assertTrue(at.get(0) >= before && at.get(0) <= Instant.now().toEpochMilli(), "the first goes now: " + at);
        for (int i = 1; i < at.size(); i++) {
            assertEquals(1000, at.get(i) - at.get(i - 1), "the spread's spacing kept: " + at);
        }
        Await.until(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "draft not sent after start");
        assertEquals(5, smsc.submits.size(), "each once");
        JsonNode again = http.post("/v1/campaigns/draft/start", "{}").body();
        assertEquals("already_started", again.get("error").asText(), again::toString);
    }

    @Test
    void startingACampaignWhoseStartIsAheadSendsNow() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("", operators());
        Http http = env.http();
        String start = java.time.OffsetDateTime.now().plusHours(3).toString();
        assertEquals(200, http.send("PUT", "/v1/campaigns/later", "{\"from\":\"ACME\",\"start_at\":\"" + start + "\",\"variants\":[{\"name\":\"A\",\"text\":\"Hop\"}]}").status());
        assertEquals("scheduled", campaignStatus(http, "later"));
        assertEquals(2, Http.JSON.readTree(http.postCsv("/v1/campaigns/later/recipients", "to\n+33654000001\n+33654000002\n").body()).get("accepted").asInt());
        Http.Response started = http.post("/v1/campaigns/later/start", "{}");
        assertEquals(200, started.status(), started.body()::toString);
        assertEquals(2, started.body().get("messages").asInt());
        List<String> ids = new ArrayList<>();
        gw.store().forCampaign("later", ids::add);
        Await.until(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> Stored.state(gw, id) == MessageState.DELIVERED), () -> "not sent after start");
        assertEquals(2, smsc.submits.size());
        assertFalse(http.get("/v1/campaigns/later").body().has("draft"));
        assertEquals(404, http.post("/v1/campaigns/nosuch/start", "{}").status(), "an unknown campaign");
    }

    private static String recipients(String prefix, int n) {
        StringBuilder csv = new StringBuilder("to\n");
        for (int i = 0; i < n; i++) {
            csv.append(prefix).append(String.format("%05d", i)).append('\n');
        }
        return csv.toString();
    }

    private static String campaignStatus(Http http, String campaign) {
        for (JsonNode c : http.get("/v1/campaigns").body().get("campaigns")) {
            if (c.get("campaign").asText().equals(campaign)) {
                return c.get("status").asText();
            }
        }
        return null;
    }
}
