package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads only from people, through a jSMPP SMSC: a scripted mix of delivered, undelivered and refused messages, clicked
 * by phone browsers, HTTP libraries and command-line tools, replied to and redeemed; the states and the campaign
 * report's figures are asserted exactly.
 */
class ReadSignalsTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Gateway gw;
    private Http http;

    private MessageState state(String id) {
        return gw.store().find(id).orElseThrow().state();
    }

    private void await(String id, MessageState s) {
        Await.until(Duration.ofSeconds(10), () -> state(id) == s, () -> id + " is " + state(id) + ", not " + s);
    }

    /** Fetches the message's tracking link as {@code userAgent} would; returns the status. */
    private int click(String id, String userAgent) throws Exception {
        String text = gw.store().find(id).orElseThrow().message().text();
        String token = text.substring(text.indexOf("/r/") + 3, text.indexOf("/r/") + 13);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/r/" + token));
        if (userAgent != null) {
            b.header("User-Agent", userAgent);
        }
        return browser.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String send(String to, String from, String text, boolean track) {
        Http.Response r = http.post("/v1/messages", "{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"campaign\":\"mix\",\"text\":\"" + text + "\""
                + (track ? ",\"track_links\":true" : "") + "}");
        assertEquals(202, r.status(), r.body()::toString);
        return r.body().get("id").asText();
    }

    @Test
    void onlyPeopleReadAndTheReportSaysWhatEachSignalWas() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> switch (sm.getDestAddress().substring(sm.getDestAddress().length() - 2)) {
            case "04", "09" -> new JsmppSmsc.Reply(DeliveryReceiptState.UNDELIV, 20);
            case "05" -> null; // refused: FAILED
            default -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 20);
        });
        gw = env.startWith("tracking: {base-url: \"https://go.example.com/r\"}\n",
                "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw}]\n");
        http = env.http();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i <= 9; i++) {
            String to = "+3361200000" + i;
            m.put("m" + i, switch (i) {
                case 6 -> send(to, "36111", "Une question ?", false);
                case 7 -> send(to, "ACME", "Code {promo}", false);
                case 8, 9 -> send(to, "ACME", "Bonjour", false);
                default -> send(to, "ACME", "Soldes https://shop.example/p", true);
            });
        }
        for (String k : new String[]{"m1", "m2", "m3", "m6", "m7", "m8"}) {
            await(m.get(k), MessageState.DELIVERED);
        }
        await(m.get("m4"), MessageState.UNDELIVERED);
        await(m.get("m9"), MessageState.UNDELIVERED);
        await(m.get("m5"), MessageState.FAILED);

        assertEquals(302, click(m.get("m1"), PHONE)); // a person: READ, twice (one unique click, two raw)
        assertEquals(302, click(m.get("m1"), "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"));
        assertEquals(302, click(m.get("m2"), "python-requests/2.31.0")); // a script: still DELIVERED
        assertEquals(302, click(m.get("m3"), "curl/8.5.0"));
        assertEquals(302, click(m.get("m3"), "Go-http-client/1.1"));
        assertEquals(302, click(m.get("m3"), PHONE));
        assertEquals(302, click(m.get("m4"), PHONE)); // read although the receipt said UNDELIV: the carrier's error
        assertEquals(302, click(m.get("m5"), PHONE)); // the carrier never took it: unattributed, stays FAILED
        JsmppSmsc handsets = smsc;
        handsets.handsetSays("33612000006", "36111", "Oui, demain");
        String code = gw.store().find(m.get("m7")).orElseThrow().message().promoCode();
        assertEquals(200, http.post("/v1/redemptions", "{\"code\":\"" + code + "\"}").status());

        await(m.get("m1"), MessageState.READ);
        await(m.get("m3"), MessageState.READ);
        await(m.get("m4"), MessageState.READ);
        await(m.get("m6"), MessageState.READ);
        await(m.get("m7"), MessageState.READ);
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(m.get("m5")).orElseThrow().events().stream()
                .anyMatch(e -> e.type() == smppgw.model.EventType.SIGNAL), () -> "the click on the refused message was not kept");
        ((smppgw.store.chronicle.ChronicleMessageStore) gw.store()).barrier().get();
        assertEquals(MessageState.DELIVERED, state(m.get("m2")), "a python-requests fetch is no reader");
        assertEquals(MessageState.FAILED, state(m.get("m5")), "a click on a refused message leaves it FAILED");

        JsonNode m2 = http.get("/v1/messages/" + m.get("m2")).body();
        JsonNode signal = m2.get("events").get(m2.get("events").size() - 1);
        assertEquals("SIGNAL", signal.get("type").asText(), m2::toString);
        assertEquals("click", signal.get("via").asText());
        assertEquals(false, signal.get("human").asBoolean(true));
        assertEquals("machine:http-library", signal.get("note").asText());
        JsonNode m5 = http.get("/v1/messages/" + m.get("m5")).body();
        assertEquals("unattributed", m5.get("events").get(m5.get("events").size() - 1).get("note").asText(), m5::toString);
        JsonNode m4 = http.get("/v1/messages/" + m.get("m4")).body();
        assertEquals("read_after_failed_receipt", m4.get("events").get(m4.get("events").size() - 1).get("note").asText(), m4::toString);

        JsonNode r = http.get("/v1/campaigns/mix/report").body();
        assertEquals(9, r.get("messages").asInt());
        assertEquals(Map.of("DELIVERED", 2, "READ", 5, "UNDELIVERED", 1, "FAILED", 1),
                Map.of("DELIVERED", r.at("/states/DELIVERED").asInt(), "READ", r.at("/states/READ").asInt(),
                        "UNDELIVERED", r.at("/states/UNDELIVERED").asInt(), "FAILED", r.at("/states/FAILED").asInt()), r::toString);
        assertEquals(6, r.get("delivered").asInt(), "carrier-confirmed only: m1 m2 m3 m6 m7 m8");
        assertEquals(0.6667, r.get("delivery_rate").asDouble());
        assertEquals(6, r.get("reached").asInt());
        assertEquals(4, r.get("read").asInt(), "people: m1 m3 (clicks), m6 (reply), m7 (code)");
        assertEquals(0.6667, r.get("read_rate").asDouble());
        assertEquals(2, r.at("/read_by_via/click/read").asInt());
        assertEquals(1, r.at("/read_by_via/reply/read").asInt());
        assertEquals(1, r.at("/read_by_via/code/read").asInt());
        assertEquals(3, r.at("/clicks/unique").asInt(), "m1 m3 m4");
        assertEquals(4, r.at("/clicks/raw").asInt(), "m1 twice, m3, m4");
        assertEquals(1, r.get("read_after_failed_receipt").asInt());
        assertEquals(1, r.get("unattributed").asInt());
        assertEquals(2, r.at("/non_human/messages").asInt());
        assertEquals(3, r.at("/non_human/signals").asInt());
        assertTrue(http.getText("/metrics")[1].contains("smppgw_link_requests_total{kind=\"http-library\"} 2.0"),
                () -> java.util.Arrays.stream(http.getText("/metrics")[1].split("\n")).filter(l -> l.contains("link_requests")).toList().toString());
    }
}
