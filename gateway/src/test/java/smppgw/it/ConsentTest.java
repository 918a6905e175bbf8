package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consent per advertiser, through a jSMPP SMSC that delivers handsets' messages as a carrier does: a STOP speaks to the
 * client that owns the short code it was sent to, or whose message the handset last got from that number; other
 * clients are unaffected and cannot see or undo it; only strict keywords opt out, a sentence is a reply.
 */
class ConsentTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private static final String ACME_KEY = "acme-key-0123456789";
    private static final String GLOBEX_KEY = "globex-key-0123456789";

    private Gateway gw;
    private JsmppSmsc smsc;
    private Http acme;
    private Http globex;

    private void start() throws Exception {
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 20));
        gw = env.startWith("compliance: {frequency-cap: {max: 0}}\nclients:\n"
                        + "  - {name: acme, api-key: " + ACME_KEY + ", mo-numbers: [\"36111\"], opt-out-reply: \"ACME: vous ne recevrez plus nos offres\"}\n"
                        + "  - {name: globex, api-key: " + GLOBEX_KEY + ", mo-numbers: [\"36222\"]}\n",
                "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        acme = env.http().withKey(ACME_KEY);
        globex = env.http().withKey(GLOBEX_KEY);
    }

    private static String message(String to, String from, String cls) {
        return "{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"text\":\"Hello\"" + (cls == null ? "" : ",\"class\":\"" + cls + "\"") + "}";
    }

    private long confirmations(String number) {
        return smsc.submits.stream().filter(sm -> sm.getDestAddress().endsWith(number.substring(1))
                && new String(sm.getShortMessage(), java.nio.charset.StandardCharsets.ISO_8859_1).equals("ACME: vous ne recevrez plus nos offres")
                && sm.getSourceAddr().equals("36111")).count();
    }

    private boolean onList(String client, String number) {
        return gw.store().consent(client, number).map(smppgw.model.Consent::optedOut).orElse(false);
    }

    private String sent(Http client, String body) {
        Http.Response r = client.post("/v1/messages", body);
        assertEquals(202, r.status(), r.body()::toString);
        String id = r.body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED, () -> "not delivered");
        return id;
    }

    @Test
    void aStopToOneClientsShortCodeBlocksThatClientOnlyAndOnlyItsConsumerOrAConsentReferenceUndoesIt() throws Exception {
        start();
        String number = "+33611000001";
        sent(acme, message(number, "36111", "promotional"));
        sent(globex, message(number, "36222", "promotional"));
        smsc.handsetSays("33611000001", "36111", "STOP");
        Await.until(Duration.ofSeconds(10), () -> onList("acme", number), () -> "no opt-out");

        // acme confirms it, once, from the short code written to; a second STOP changes nothing and gets nothing
        Await.until(Duration.ofSeconds(10), () -> confirmations(number) == 1, () -> "no confirmation");
        smsc.handsetSays("33611000001", "36111", "stop");
        Await.until(Duration.ofSeconds(10), () -> gw.store().consent("acme", number).orElseThrow().history().size() == 2, () -> "second STOP");
        ((smppgw.store.chronicle.ChronicleMessageStore) gw.store()).barrier().get();
        assertEquals(1, confirmations(number));

        Http.Response refused = acme.post("/v1/messages", message(number, "36111", "promotional"));
        assertEquals(409, refused.status());
        assertEquals("opted_out", refused.body().get("error").asText());
        assertTrue(refused.body().get("message").asText().contains("opted out of messages from acme"), refused.body()::toString);
        assertEquals(202, globex.post("/v1/messages", message(number, "36222", "promotional")).status(), "globex was not asked");
        assertFalse(onList("globex", number));
        assertFalse(onList(null, number), "not the gateway's list: the consumer asked acme");

        // globex can neither see nor undo acme's entry
        assertEquals(404, globex.get("/v1/optouts/" + number).status());
        assertEquals(404, globex.send("DELETE", "/v1/optouts/" + number, null).status());
        assertEquals(0, globex.get("/v1/optouts").body().get("optouts").size());
        JsonNode mine = acme.get("/v1/optouts").body().get("optouts");
        assertEquals(1, mine.size());
        assertEquals("mo", mine.get(0).get("source").asText());
        assertEquals("STOP", mine.get(0).get("keyword").asText());
        assertEquals("36111", mine.get(0).get("sent_to").asText());

        // the consumer's STOP comes off only with a consent reference, recorded in the history
        Http.Response noRef = acme.send("DELETE", "/v1/optouts/" + number, null);
        assertEquals(409, noRef.status());
        assertEquals("consent_required", noRef.body().get("error").asText());
        assertEquals(400, acme.send("DELETE", "/v1/optouts/" + number, "{\"consent_ref\":\"\"}").status());
        assertTrue(onList("acme", number));
        assertEquals(200, acme.send("DELETE", "/v1/optouts/" + number, "{\"consent_ref\":\"web-form-2026-12-01-17\"}").status());
        assertFalse(onList("acme", number));
        JsonNode history = acme.get("/v1/optouts/" + number).body().get("history");
        assertEquals(3, history.size(), "STOP, STOP, the client's removal");
        assertEquals("web-form-2026-12-01-17", history.get(2).get("consent_ref").asText());
        assertEquals(202, acme.post("/v1/messages", message(number, "36111", "promotional")).status());

        // an entry the client added itself it may remove; the admin sees every list
        String other = "+33611000002";
        assertEquals(201, globex.post("/v1/optouts", "{\"number\":\"" + other + "\"}").status());
        assertEquals(409, globex.post("/v1/messages", message(other, "36222", "promotional")).status());
        assertEquals(202, acme.post("/v1/messages", message(other, "36111", "promotional")).status());
        JsonNode all = env.admin().get("/admin/optouts/" + other).body().get("lists");
        assertEquals(1, all.size());
        assertEquals("globex", all.get(0).get("list").asText());
        assertEquals(200, globex.send("DELETE", "/v1/optouts/" + other, null).status());

        // the gateway's own list: no client may message the number, whatever the class
        assertEquals(201, env.admin().post("/admin/optouts", "{\"number\":\"" + other + "\"}").status());
        assertEquals(409, acme.post("/v1/messages", message(other, "36111", null)).status());
        assertEquals(409, globex.post("/v1/messages", message(other, "36222", "transactional")).status());
        assertEquals(404, globex.send("DELETE", "/v1/optouts/" + other, null).status(), "not the client's to remove");
        assertEquals(200, env.admin().send("DELETE", "/admin/optouts/" + other, null).status());
        assertEquals(202, acme.post("/v1/messages", message(other, "36111", null)).status());
    }

    @Test
    void aSentenceIsAReplyNotAnOptOutAndStrictKeywordsInAnyFormOptOut() throws Exception {
        start();
        String patient = "+33611000011";
        String appointment = sent(acme, message(patient, "36111", null));
        smsc.handsetSays("33611000011", "36111", "Cancel my appointment please");
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(appointment).orElseThrow().state() == MessageState.READ, () -> "no reply");
        assertEquals("reply", gw.store().find(appointment).orElseThrow().events().stream()
                .filter(e -> e.type() == smppgw.model.EventType.READ).findFirst().orElseThrow().via());
        assertFalse(onList("acme", patient));
        assertTrue(gw.store().consent("acme", patient).isEmpty(), "not even a history: it was never a keyword");
        sent(acme, "{\"to\":\"" + patient + "\",\"from\":\"36111\",\"text\":\"Your code is 482113\"}"); // the next one-time password goes out

        String[][] keywords = {{"+33611000012", "Stop."}, {"+33611000013", "ARRET 36111"}, {"+33611000014", "stop acme"}};
        for (String[] k : keywords) {
            sent(acme, message(k[0], "36111", "promotional"));
            smsc.handsetSays(k[0].substring(1), "36111", k[1]);
        }
        for (String[] k : keywords) {
            Await.until(Duration.ofSeconds(10), () -> onList("acme", k[0]), () -> k[1] + " did not opt out");
        }
        // a STOP in two parts, joined before it is read
        String twoParts = "+33611000015";
        sent(acme, message(twoParts, "36111", "promotional"));
        smsc.handsetSaysInParts("33611000015", "36111", 42, "ST", "OP");
        Await.until(Duration.ofSeconds(10), () -> onList("acme", twoParts), () -> "a two-part STOP did not opt out");
        // and START, the consumer's own, lifts it
        smsc.handsetSays("33611000015", "36111", "start");
        Await.until(Duration.ofSeconds(10), () -> !onList("acme", twoParts), () -> "START did not opt back in");
        assertTrue(env.http().getText("/metrics")[1].contains("smppgw_optouts_total{direction=\"out\",source=\"mo\"} 4.0"),
                () -> java.util.Arrays.stream(env.http().getText("/metrics")[1].split("\n")).filter(l -> l.contains("optouts")).toList().toString());
    }

    @Test
    void aStopToANumberNoClientOwnsGoesToTheClientWhoseMessageTheHandsetLastGotFromIt() throws Exception {
        start();
        String number = "+33611000021";
        sent(globex, message(number, "+33700000099", "promotional")); // a long number globex sends from, not one of its mo-numbers
        smsc.handsetSays("33611000021", "33700000099", "STOP");
        Await.until(Duration.ofSeconds(10), () -> onList("globex", number), () -> "no opt-out");
        assertFalse(onList("acme", number));
        assertFalse(onList(null, number));
        // block-transactional (the default) refuses globex's transactional traffic too; acme's goes
        assertEquals(409, globex.post("/v1/messages", message(number, "36222", null)).status());
        assertEquals(202, acme.post("/v1/messages", message(number, "36111", null)).status());
    }
}
