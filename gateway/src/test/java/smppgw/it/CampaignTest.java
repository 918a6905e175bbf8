package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import smppgw.campaign.Template;
import smppgw.campaign.Variants;
import smppgw.daemon.Gateway;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Stored;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign from a CSV of 1,000 recipients to the report: two weighted variants personalised per recipient, people who
 * click or reply (scripted), a follow-up that reaches exactly those who did not, per-variant figures equal to the
 * script's truth and a winner whose p-value matches a computation done here another way.
 */
class CampaignTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private static final String PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
    private static final String A = "Bonjour {first_name}, -20% a {city|Paris} https://shop.example.com/s";
    private static final String B = "{first_name}: vos soldes -20% https://shop.example.com/s";
    private static final int N = 1000;

    private static String number(int i) {
        return String.format("+336100%05d", i);
    }

    private HttpResponse<String> upload(String csv) throws Exception {
        return env.http().postCsv("/v1/campaigns/soldes/recipients", csv);
    }

    @Test
    void uploadPersonaliseSplitReadFollowUpAndReport() throws Exception {
        JsmppSmsc smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        Gateway gw = env.startWith("tracking: {base-url: \"https://go.example.com/r\"}\n",
                "  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw, window: 50}]\n");
        Http http = env.http();
        Http.Response put = http.send("PUT", "/v1/campaigns/soldes", "{\"from\":\"36111\",\"track_links\":true,\"max_segments\":1,"
                + "\"variants\":[{\"name\":\"A\",\"text\":\"" + A + "\",\"weight\":1},{\"name\":\"B\",\"text\":\"" + B + "\",\"weight\":1}],"
                + "\"follow_up\":{\"after\":\"1s\",\"unless\":\"read\",\"text\":\"Dernier jour {first_name} !\"}}");
        assertEquals(200, put.status(), put.body()::toString);
        Http.Response optOut = http.post("/v1/optouts", "{\"number\":\"" + number(20) + "\"}");
        assertTrue(optOut.status() / 100 == 2, optOut.body()::toString);

        StringBuilder csv = new StringBuilder("to,first_name,city\n");
        for (int i = 0; i < N; i++) {
            String name = i == 5 ? "" : i == 30 ? "x".repeat(170) : "Name" + i;
            csv.append(number(i)).append(',').append(name).append(',').append(i % 2 == 0 ? "Lyon" : "").append('\n');
        }
        csv.append(number(10)).append(",Again,\n"); // the same recipient twice
        HttpResponse<String> up = upload(csv.toString());
        assertEquals(200, up.statusCode(), up.body());
        JsonNode o = Http.JSON.readTree(up.body());
        assertEquals(N - 3, o.get("accepted").asInt(), up.body());
        assertEquals(1, o.get("duplicates").asInt());
        assertEquals(1, o.get("suppressed").asInt(), "the opted-out recipient");
        assertEquals(2, o.get("rejected_total").asInt(), up.body());
        JsonNode missing = o.get("rejected").get(0);
        assertEquals(7, missing.get("line").asInt(), "recipient 5 is on line 7 (after the header)");
        assertEquals("first_name", missing.get("field").asText());
        assertTrue(o.get("rejected").get(1).get("error").asText().contains("max_segments"), up.body());
        // uploading again changes nothing: every recipient already has the campaign's message
        JsonNode again = Http.JSON.readTree(upload(csv.toString()).body());
        assertEquals(0, again.get("accepted").asInt());
        assertEquals(N - 3 + 1, again.get("duplicates").asInt());

        // what the SMSC got: personalised texts, split by weight, each recipient's variant the reproducible draw
        Await.until(Duration.ofSeconds(60), () -> smsc.submits.size() >= N - 3, () -> smsc.submits.size() + " submits");
        Map<String, String> texts = new HashMap<>();
        for (SubmitSm sm : smsc.submits) {
            texts.put("+" + sm.getDestAddress(), new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1));
        }
        Variants draw = new Variants(List.of(new Variants.Variant("A", Template.of(A), 1), new Variants.Variant("B", Template.of(B), 1)));
        Map<String, Message> byNumber = new HashMap<>();
        gw.store().forCampaign("soldes", id -> {
            Message m = gw.store().find(id).orElseThrow().message();
            byNumber.put(m.to(), m);
        });
        assertEquals(N - 3, byNumber.size());
        int a = 0;
        for (int i = 0; i < N; i++) {
            Message m = byNumber.get(number(i));
            if (m == null) {
                continue;
            }
            assertEquals(draw.pick("soldes", number(i)).name(), m.variant());
            String t = texts.get(number(i));
            String city = i % 2 == 0 ? "Lyon" : "Paris";
            if (m.variant().equals("A")) {
                a++;
                assertTrue(t.startsWith("Bonjour Name" + i + ", -20% a " + city + " https://go.example.com/r/"), t);
            } else {
                assertTrue(t.startsWith("Name" + i + ": vos soldes -20% https://go.example.com/r/"), t);
            }
        }
        int n = N - 3;
        assertTrue(Math.abs(a - n / 2.0) < 4 * Math.sqrt(n * 0.25), "A got " + a + " of " + n + ": beyond 4 standard deviations of 1:1");

        // everyone's receipt, then people act: A's recipients 40% (i % 5 in {0, 1}), B's 20% (i % 5 == 0); even ones click, odd reply
        Await.until(Duration.ofSeconds(60), () -> byNumber.values().stream().allMatch(m -> Stored.state(gw, m.id()) == MessageState.DELIVERED),
                () -> "not all delivered");
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        Set<String> readers = new HashSet<>();
        Map<String, int[]> truth = new HashMap<>(); // variant -> {recipients, read}
        for (int i = 0; i < N; i++) {
            Message m = byNumber.get(number(i));
            if (m == null) {
                continue;
            }
            boolean reads = m.variant().equals("A") ? i % 5 <= 1 : i % 5 == 0;
            truth.computeIfAbsent(m.variant(), k -> new int[2])[0]++;
            if (!reads) {
                continue;
            }
            truth.get(m.variant())[1]++;
            readers.add(number(i));
            if (i % 2 == 0) {
                String t = texts.get(number(i));
                String token = t.substring(t.indexOf("/r/") + 3, t.indexOf("/r/") + 13);
                assertEquals(302, browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.httpPort() + "/r/" + token))
                        .header("User-Agent", PHONE).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            } else {
                smsc.handsetSays(number(i).substring(1), "36111", "Merci, je passe demain");
            }
        }
        Await.until(Duration.ofSeconds(30), () -> readers.stream().allMatch(r -> Stored.state(gw, byNumber.get(r).id()) == MessageState.READ),
                () -> readers.stream().filter(r -> Stored.state(gw, byNumber.get(r).id()) != MessageState.READ).count() + " reads not recorded");

        // the follow-up goes to exactly those who did not act, once
        Await.until(Duration.ofSeconds(10), () -> System.currentTimeMillis() > Stored.lastReceiptAt(gw, byNumber.values()) + 1100, () -> "waiting for after: 1s");
        int followUps = gw.followUps().walk();
        assertEquals(n - readers.size(), followUps);
        assertEquals(0, gw.followUps().walk(), "a second walk sends nothing more");
        Await.until(Duration.ofSeconds(60), () -> smsc.submits.size() >= n + followUps, () -> smsc.submits.size() + " submits");
        Set<String> followedUp = smsc.submits.stream().filter(sm -> new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1).startsWith("Dernier jour"))
                .map(sm -> "+" + sm.getDestAddress()).collect(Collectors.toSet());
        Set<String> nonReaders = byNumber.keySet().stream().filter(k -> !readers.contains(k)).collect(Collectors.toSet());
        assertEquals(nonReaders, followedUp);
        assertTrue(smsc.submits.stream().noneMatch(sm -> sm.getDestAddress().equals(number(20).substring(1))), "never to the opted-out");
        assertEquals("Dernier jour Name" + firstIn(nonReaders) + " !", textTo(smsc, number(firstIn(nonReaders)), "Dernier"));

        // the report: per variant as scripted, the winner as computed here
        JsonNode report = http.get("/v1/campaigns/soldes/report").body();
        Map<String, JsonNode> variants = new HashMap<>();
        report.get("variants").forEach(v -> variants.put(v.get("name").asText(), v));
        for (String v : List.of("A", "B")) {
            JsonNode r = variants.get(v);
            assertEquals(truth.get(v)[0], r.get("recipients").asInt(), v);
            assertEquals(truth.get(v)[0], r.get("delivered").asInt(), v);
            assertEquals(truth.get(v)[1], r.get("read").asInt(), v);
            assertEquals(Math.round(truth.get(v)[1] * 10_000.0 / truth.get(v)[0]) / 10_000.0, r.get("read_rate").asDouble(), 1e-9, v);
        }
        assertEquals(n - readers.size(), report.get("follow_up").get("recipients").asInt());
        int xa = truth.get("A")[1], na = truth.get("A")[0], xb = truth.get("B")[1], nb = truth.get("B")[0];
        double p = (double) (xa + xb) / (na + nb);
        double z = ((double) xa / na - (double) xb / nb) / Math.sqrt(p * (1 - p) * (1.0 / na + 1.0 / nb));
        double pValue = 2 * upperTail(Math.abs(z));
        assertEquals(pValue, report.get("winner_test").get("p_value").asDouble(), 1e-6, report.get("winner_test")::toString);
        assertTrue(pValue < 0.05, "scripted 40% vs 20% is significant: " + pValue);
        assertEquals("A", report.get("winner").get("variant").asText());
        assertEquals("read_rate", report.get("winner").get("metric").asText());

        // who read, paged; the export as CSV
        Set<String> readIds = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/v1/campaigns/soldes/messages?read=true&follow_up=false&limit=100" + (after == null ? "" : "&after=" + after)).body();
            page.get("messages").forEach(m -> {
                assertTrue(readers.contains(m.get("to").asText()), m::toString);
                assertEquals("READ", m.get("state").asText());
                readIds.add(m.get("id").asText());
            });
            after = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (after != null);
        assertEquals(readers.size(), readIds.size());
        assertEquals((readers.size() + 99) / 100, pages);
        String[] csvA = http.getText("/v1/campaigns/soldes/messages?variant=A&follow_up=false&format=csv")[1].split("\r\n");
        assertEquals("id,to,variant,follow_up,state,accepted_at,delivered_at,read_at,read_via,converted", csvA[0]);
        assertEquals(truth.get("A")[0], csvA.length - 1);
        assertEquals(400, http.get("/v1/campaigns/soldes/messages?state=SOMETIMES").status());
    }

    private static int firstIn(Set<String> numbers) {
        return numbers.stream().mapToInt(s -> Integer.parseInt(s.substring(7))).min().orElseThrow();
    }

    private static String textTo(JsmppSmsc smsc, String number, String prefix) {
        return smsc.submits.stream().filter(sm -> sm.getDestAddress().equals(number.substring(1)))
                .map(sm -> new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1)).filter(t -> t.startsWith(prefix)).findFirst().orElse(null);
    }



    /** P(Z > z) for a standard normal, by Simpson's rule over the density from z to 12: independent of the gateway's erfc. */
    private static double upperTail(double z) {
        int steps = 200_000;
        double b = 12;
        double h = (b - z) / steps;
        double sum = density(z) + density(b);
        for (int i = 1; i < steps; i++) {
            sum += density(z + i * h) * (i % 2 == 0 ? 2 : 4);
        }
        return sum * h / 3;
    }

    private static double density(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }
}
