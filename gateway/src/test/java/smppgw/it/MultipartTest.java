package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Ports;
import smppgw.text.Gsm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long texts cut into UDH-concatenated parts through jSMPP's SMSC, whose receipts for the parts come back
 * in reverse order: each part tracked, the message DELIVERED only when every part is, UNDELIVERED when
 * one part is, and the parts join back into the exact text.
 */
class MultipartTest {
    @TempDir
    Path dir;
    private JsmppSmsc smsc;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (smsc != null) {
            smsc.close();
        }
    }

    /** (UDH reference, part number, total) of a submit, or null if it has no concatenation header. */
    private static int[] udh(SubmitSm sm) {
        byte[] b = sm.getShortMessage();
        if ((sm.getEsmClass() & 0x40) == 0 || b.length < 6 || b[1] != 0x00) {
            return null;
        }
        return new int[] {b[3] & 0xFF, b[5] & 0xFF, b[4] & 0xFF};
    }

    private static String text(SubmitSm sm) {
        byte[] b = sm.getShortMessage();
        byte[] body = udh(sm) == null ? b : Arrays.copyOfRange(b, 6, b.length);
        return sm.getDataCoding() == 8 ? new String(body, StandardCharsets.UTF_16BE) : Gsm7.decode(body);
    }

    @Test
    void partsAreTrackedReceiptsInAnyOrderAndTheTextJoinsBackExactly() throws Exception {
        int port = Ports.free();
        smsc = new JsmppSmsc(port, (sm, id) -> {
            int[] u = udh(sm);
            int part = u == null ? 1 : u[1];
            boolean failPart2 = sm.getDestAddress().endsWith("13") && part == 2;
            return new JsmppSmsc.Reply(failPart2 ? DeliveryReceiptState.UNDELIV : DeliveryReceiptState.DELIVRD, 600 - 150L * part);
        });
        int httpPort = Ports.free();
        gw = Gateway.start(Configs.gateway(dir, httpPort, Configs.operator("op", null, true, port, 1, 20)), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(httpPort);

        String gsm = ("Bonjour, votre rendez-vous est confirmé pour demain à 10h. Répondez OUI ou NON. €{}[] ").repeat(5); // 2-septet chars too
        String ucs = "Réservation confirmée 🎉 à bientôt ! ".repeat(3);
        String twoParts = "x".repeat(200);
        Http.Response a = http.post("/v1/messages", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":" + Http.JSON.writeValueAsString(gsm) + "}");
        assertEquals("gsm7", a.body().get("encoding").asText());
        int gsmSegments = a.body().get("segments").asInt();
        assertTrue(gsmSegments >= 3, a.body()::toString);
        Http.Response b = http.post("/v1/messages", "{\"to\":\"+33612000002\",\"from\":\"ACME\",\"text\":" + Http.JSON.writeValueAsString(ucs) + "}");
        assertEquals("ucs2", b.body().get("encoding").asText());
        assertEquals(2, b.body().get("segments").asInt());
        Http.Response c = http.post("/v1/messages", "{\"to\":\"+33612000013\",\"from\":\"ACME\",\"text\":\"" + twoParts + "\"}");
        assertEquals(2, c.body().get("segments").asInt());
        assertEquals(306 - 200, c.body().get("remaining").asInt());

        String ida = a.body().get("id").asText();
        String idb = b.body().get("id").asText();
        String idc = c.body().get("id").asText();
        // c is UNDELIVERED as soon as its second part is: wait for its first part's receipt too
        Await.until(Duration.ofSeconds(30), () -> List.of(ida, idb, idc).stream().allMatch(id -> view(id).state().isFinal())
                        && view(idc).partState(1).isFinal() && view(idc).partState(2).isFinal(),
                () -> view(ida).state() + " " + view(idb).state() + " " + view(idc).state() + " parts of c: " + view(idc).partState(1)
                        + " " + view(idc).partState(2));

        assertEquals(MessageState.DELIVERED, view(ida).state());
        assertEquals(gsmSegments, view(ida).parts());
        assertEquals(MessageState.DELIVERED, view(idb).state());
        assertEquals(MessageState.UNDELIVERED, view(idc).state(), "one part undelivered: the message is");
        assertEquals(MessageState.DELIVERED, view(idc).partState(1));
        assertEquals(MessageState.UNDELIVERED, view(idc).partState(2));

        // what the SMSC got joins back into exactly the texts sent
        Map<String, Map<Integer, String>> byDest = smsc.submits.stream().collect(Collectors.groupingBy(SubmitSm::getDestAddress,
                Collectors.toMap(sm -> udh(sm) == null ? 1 : udh(sm)[1], MultipartTest::text, (x, y) -> x, TreeMap::new)));
        assertEquals(gsm, String.join("", byDest.get("33612000001").values()));
        assertEquals(ucs, String.join("", byDest.get("33612000002").values()));
        assertEquals(twoParts, String.join("", byDest.get("33612000013").values()));

        JsonNode v = http.get("/v1/messages/" + idc).body();
        assertEquals(2, v.get("segments").asInt());
        assertEquals("UNDELIVERED", v.get("parts").get(1).get("state").asText());
    }

    @Test
    void longMessagesThroughTheSimulatorWithReceiptsInRandomOrderEndDelivered() throws Exception {
        int port = Ports.free();
        try (smppgw.sim.SmscSimulator sim = new smppgw.sim.SmscSimulator(Configs.simulator(port,
                "  receipt-delay: 1ms\n  receipt-jitter: 300ms\n")).startUnchecked()) {
            gw = Gateway.start(Configs.gateway(dir, Ports.free(), Configs.operator("op", null, true, port, 2, 20)
                    .replace("    default: true\n", "    default: true\n    encoding: {concatenation: udh16, packing: packed}\n")), Clock.systemUTC());
            Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String text = (i % 2 == 0 ? "Long GSM text number " + i + ". " : "Texte long 🙂 numéro " + i + ". ").repeat(12);
                ids.add(gw.intake().accept(List.of(gw.intake().validate(new smppgw.intake.Intake.Request("", "+336120001" + String.format("%02d", i),
                        "ACME", text, null, null)))).join().get(0).id());
            }
            Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> view(id).state() == MessageState.DELIVERED),
                    () -> ids.stream().filter(id -> view(id).state() != MessageState.DELIVERED).count() + " not delivered");
            int parts = ids.stream().mapToInt(id -> view(id).parts()).sum();
            assertTrue(parts > 100, "every message took several parts: " + parts);
            assertEquals(parts, sim.stats().submits.get(), "one submit_sm per part");
            gw.close();
            gw = null;
        }
    }

    @Test
    void previewComputesWithoutStoringAndImpossibleEncodingsAreRefused() throws Exception {
        int port = Ports.free();
        smsc = new JsmppSmsc(port, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        int httpPort = Ports.free();
        gw = Gateway.start(Configs.gateway(dir, httpPort, Configs.operator("op", null, true, port, 1, 20)), Clock.systemUTC());
        Http http = new Http(httpPort);
        Http.Response p = http.post("/v1/messages/preview", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"" + "a".repeat(161) + "\"}");
        assertEquals(200, p.status());
        assertEquals(2, p.body().get("segments").asInt());
        assertEquals(161, p.body().get("characters").asInt());
        assertEquals(2, p.body().get("parts").size());
        Http.Response forced = http.post("/v1/messages/preview", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"hello\",\"encoding\":\"ucs2\"}");
        assertEquals("ucs2", forced.body().get("encoding").asText());
        assertEquals(65, forced.body().get("remaining").asInt());
        Http.Response bad = http.post("/v1/messages", "{\"to\":\"+33612000001\",\"from\":\"ACME\",\"text\":\"fête\",\"encoding\":\"gsm7\"}");
        assertEquals(400, bad.status());
        assertEquals("encoding", bad.body().get("field").asText());
        assertEquals(0, smsc.submits.size(), "a preview sends nothing");
    }

    @Test
    void aConcatenatedMoFromAHandsetArrivesAsOneMessage() throws Exception {
        int port = Ports.free();
        smsc = new JsmppSmsc(port, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        gw = Gateway.start(Configs.gateway(dir, Ports.free(), Configs.operator("op", null, true, port, 1, 20)), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok() && !smsc.sessions.isEmpty(), () -> gw.health().detail().toString());
        String[] texts = {"Oui, je confirme le rendez-vous ", "de demain à 10h. Merci!"};
        for (int seq : new int[] {2, 1}) { // the last part first
            byte[] udh = {0x05, 0x00, 0x03, 0x42, 0x02, (byte) seq};
            byte[] body = Gsm7.encode(texts[seq - 1]);
            byte[] sm = new byte[udh.length + body.length];
            System.arraycopy(udh, 0, sm, 0, udh.length);
            System.arraycopy(body, 0, sm, udh.length, body.length);
            smsc.sessions.get(0).deliverShortMessage("", org.jsmpp.bean.TypeOfNumber.INTERNATIONAL, org.jsmpp.bean.NumberingPlanIndicator.ISDN,
                    "33612345678", org.jsmpp.bean.TypeOfNumber.NETWORK_SPECIFIC, org.jsmpp.bean.NumberingPlanIndicator.UNKNOWN, "36111",
                    new org.jsmpp.bean.ESMClass(0x40), (byte) 0, (byte) 0, new org.jsmpp.bean.RegisteredDelivery(0),
                    org.jsmpp.bean.DataCodings.ZERO, sm);
        }
        Await.until(Duration.ofSeconds(10), () -> !gw.store().recentInbound(1).isEmpty(), () -> "no inbound message");
        assertEquals(1, gw.store().recentInbound(5).size());
        assertEquals(texts[0] + texts[1], gw.store().recentInbound(1).get(0).text());
    }

    private MessageView view(String id) {
        return gw.store().find(id).orElseThrow();
    }
}
