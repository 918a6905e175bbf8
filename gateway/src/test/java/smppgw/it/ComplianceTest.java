package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.metrics.Metrics;
import smppgw.receipt.ReceiptRecorder;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.model.OptOut;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.policy.Keywords;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compliance at intake, end to end. The suppression list: STOP from a handset (through the SMSC, as a deliver_sm) opts the number out, and
 * intake then refuses messages to it (409 {@code opted_out}); the API lists, adds and removes numbers;
 * START opts back in; the list survives restarts. The promotional footer. The frequency cap under
 * concurrent submits.
 */
class ComplianceTest {
    private static final String HANDSET = "+33612345678";
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw, sim);
    }

    private GatewayConfig config(int smsc, int http, String compliance) {
        return GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + http + "}\nlog: {state-changes: false}\n"
                + compliance + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 10), dir);
    }

    private static String message(String to, String cls) {
        return "{\"to\":\"" + to + "\",\"from\":\"36111\",\"text\":\"Soldes -50% ce week-end\"" + (cls == null ? "" : ",\"class\":\"" + cls + "\"") + "}";
    }

    @Test
    void stopFromTheHandsetRefusesFurtherMessagesUntilTheNumberIsRemoved() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n  mo-reply: \"Stop !\"\n")).startUnchecked();
        gw = Gateway.start(config(smsc, port, ""), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(port);

        Http.Response first = http.post("/v1/messages", message(HANDSET, "promotional"));
        assertEquals(202, first.status(), first.body()::toString);
        assertEquals("promotional", http.get("/v1/messages/" + first.body().get("id").asText()).body().get("class").asText());
        // the handset answers "Stop !": the number goes on the list
        Await.until(Duration.ofSeconds(10), () -> optedOut(gw.store(), HANDSET), () -> "no opt-out recorded");
        smppgw.model.Consent c = gw.store().consent("", HANDSET).orElseThrow(); // the one (unnamed) client's list: it sent the message
        assertEquals("mo", c.origin());
        assertEquals("STOP", c.history().get(0).detail());
        assertEquals(List.of("36111"), c.senders());
        // a keyword is a reply too: the message it answers was read
        String firstId = first.body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(firstId).orElseThrow().state() == MessageState.READ,
                () -> gw.store().find(firstId).orElseThrow().events().toString());
        com.fasterxml.jackson.databind.JsonNode events = http.get("/v1/messages/" + firstId).body().get("events");
        com.fasterxml.jackson.databind.JsonNode read = events.get(events.size() - 1);
        assertEquals("READ", read.get("type").asText());
        assertEquals("reply", read.get("via").asText());
        assertEquals("Stop !", read.get("text").asText());
        assertTrue(http.getText("/metrics")[1].contains("smppgw_read_total{operator=\"fr\",via=\"reply\"} 1.0"));

        Http.Response promo = http.post("/v1/messages", message(HANDSET, "promotional"));
        assertEquals(409, promo.status());
        assertEquals("opted_out", promo.body().get("error").asText());
        assertEquals("to", promo.body().get("field").asText());
        Http.Response sameSender = http.post("/v1/messages", message(HANDSET, null));
        assertEquals(409, sameSender.status(), "nothing of any class from the sender the consumer sent STOP to");
        assertTrue(sameSender.body().get("message").asText().contains("the consumer sent STOP to 36111"), sameSender.body().toString());
        Http.Response transactional = http.post("/v1/messages", message(HANDSET, null).replace("36111", "ACME"));
        assertEquals(409, transactional.status(), "compliance.block-transactional is on by default");
        assertTrue(transactional.body().get("message").asText().contains("block-transactional"), transactional.body().toString());
        assertEquals(400, http.post("/v1/messages", message(HANDSET, "marketing")).status(), "unknown class");
        assertEquals(202, http.post("/v1/messages", message("+33699999999", "promotional")).status(), "other numbers are not affected");

        Http.Response listed = http.get("/v1/optouts/" + HANDSET);
        assertEquals(200, listed.status());
        assertEquals("STOP", listed.body().get("keyword").asText());
        assertEquals("36111", listed.body().get("sent_to").asText());

        Http.Response noConsent = http.send("DELETE", "/v1/optouts/" + HANDSET, null);
        assertEquals(409, noConsent.status(), "the consumer asked: the client needs a consent reference to undo it");
        assertEquals("consent_required", noConsent.body().get("error").asText());
        assertEquals(200, http.send("DELETE", "/v1/optouts/" + HANDSET, "{\"consent_ref\":\"call-2026-12-01-0042\"}").status());
        assertFalse(optedOut(gw.store(), HANDSET));
        assertEquals(404, http.send("DELETE", "/v1/optouts/" + HANDSET, null).status());
        Http.Response history = http.get("/v1/optouts/" + HANDSET);
        assertEquals(200, history.status(), "off the list, its history stays");
        assertFalse(history.body().get("opted_out").asBoolean());
        assertEquals("call-2026-12-01-0042", history.body().get("history").get(1).get("consent_ref").asText());
        Http.Response again = http.post("/v1/messages", message(HANDSET, "promotional"));
        assertEquals(202, again.status(), "removed from the list: accepted again");
        // delivered, then read: the simulated handset answers every message with "Stop !" (and so opts out again)
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(again.body().get("id").asText()).orElseThrow().state() == MessageState.READ,
                () -> "not read");
        Await.until(Duration.ofSeconds(10), () -> optedOut(gw.store(), HANDSET), () -> "not opted out again");
    }

    @Test
    void theApiAddsListsInPagesAndTheListSurvivesARestart() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        GatewayConfig cfg = config(smsc, port, "compliance: {block-transactional: false}\n");
        gw = Gateway.start(cfg, Clock.systemUTC());
        Http http = new Http(port);
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            numbers.add("+3370000000" + i);
            Http.Response r = http.post("/v1/optouts", "{\"number\":\"+33 7 00 00 00 0" + i + "\"}");
            assertEquals(201, r.status(), r.body()::toString);
            assertEquals("api", r.body().get("source").asText());
        }
        assertEquals(200, http.post("/v1/optouts", "{\"number\":\"+33700000000\"}").status(), "already listed");
        assertEquals(400, http.post("/v1/optouts", "{\"number\":\"nope\"}").status());
        assertEquals(400, http.post("/v1/optouts", "{\"number\":\"+33700000000\",\"x\":1}").status());

        Http.Response page1 = http.get("/v1/optouts?limit=3");
        assertEquals(3, page1.body().get("optouts").size());
        assertEquals("+33700000002", page1.body().get("next").asText());
        Http.Response page2 = http.get("/v1/optouts?limit=3&after=%2B33700000002");
        assertEquals(List.of("+33700000003", "+33700000004"), List.of(page2.body().get("optouts").get(0).get("number").asText(),
                page2.body().get("optouts").get(1).get("number").asText()));
        assertNull(page2.body().get("next"));
        assertEquals(400, http.get("/v1/optouts?limit=0").status());

        assertEquals(202, http.post("/v1/messages", message(numbers.get(0), null)).status(), "block-transactional off: transactional goes");
        assertEquals(409, http.post("/v1/messages", message(numbers.get(0), "promotional")).status());
        assertEquals(202, http.post("/v1/messages", message(numbers.get(0), "conversational")).status());

        gw.close();
        gw = Gateway.start(cfg, Clock.systemUTC());
        assertEquals(5, http.get("/v1/optouts").body().get("optouts").size(), "the list survives a restart");
        assertEquals(409, http.post("/v1/messages", message(numbers.get(4), "promotional")).status());
    }

    @Test
    void promotionalTextsWithoutAnOptOutInstructionGetTheFooterCountedInTheirLength() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        gw = Gateway.start(config(smsc, port, "compliance: {footer: \"STOP au 36111\"}\n"), Clock.systemUTC());
        Http http = new Http(port);
        String text = "x".repeat(150);
        Http.Response promo = http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"36111\",\"class\":\"promotional\",\"text\":\"" + text + "\"}");
        assertEquals(202, promo.status(), promo.body()::toString);
        assertEquals(164, promo.body().get("characters").asInt(), "150 + line break + 13: " + promo.body());
        assertEquals(2, promo.body().get("segments").asInt(), "the footer pushed it over 160");
        assertEquals(text + "\nSTOP au 36111", gw.store().find(promo.body().get("id").asText()).orElseThrow().message().text());

        Http.Response told = http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"36111\",\"class\":\"promotional\",\"text\":\"Soldes. Stop: 36111\"}");
        assertEquals("Soldes. Stop: 36111", gw.store().find(told.body().get("id").asText()).orElseThrow().message().text(),
                "already tells how to opt out");
        Http.Response transactional = http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"36111\",\"text\":\"Code 1234\"}");
        assertEquals("Code 1234", gw.store().find(transactional.body().get("id").asText()).orElseThrow().message().text());
        assertThrows(smppgw.config.ConfigException.class, () -> config(smsc, port, "compliance: {footer: \"Merci\"}\n"),
                "a footer must name an opt-out keyword");
    }

    @Test
    void theFrequencyCapHoldsUnderFiftyConcurrentSubmits() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        gw = Gateway.start(config(smsc, port, "compliance: {frequency-cap: {max: 2, period: 7d}}\n"), Clock.systemUTC());
        Http http = new Http(port);
        List<java.util.concurrent.CompletableFuture<Http.Response>> posts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            posts.add(http.postAsync("/v1/messages", message("+33644444444", "promotional")));
        }
        List<Http.Response> answers = posts.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertEquals(2, answers.stream().filter(a -> a.status() == 202).count(), "exactly the cap gets through");
        List<Http.Response> refused = answers.stream().filter(a -> a.status() == 429).toList();
        assertEquals(48, refused.size());
        assertTrue(refused.stream().allMatch(a -> a.body().get("error").asText().equals("frequency_cap")), refused.get(0).body()::toString);
        assertTrue(refused.get(0).body().get("message").asText().contains("2 promotional message(s) in the last 7d"), refused.get(0).body()::toString);
        assertEquals(202, http.post("/v1/messages", message("+33644444444", null)).status(), "transactional is not capped");

        Http.Response batch = http.post("/v1/messages/batch", "{\"messages\":[" + message("+33655555555", "promotional") + ","
                + message("+33655555555", "promotional") + "," + message("+33655555555", "promotional") + "]}");
        assertEquals(2, batch.body().get("accepted").asInt(), batch.body()::toString);
        assertEquals("frequency_cap", batch.body().get("results").get(2).get("error").asText());
    }

    @Test
    void aTrackingLinkRedirectsAndAPersonsClickMarksTheMessageReadButPreviewsAndHeadDoNot() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        gw = Gateway.start(config(smsc, port, "tracking: {base-url: \"https://go.example.com/r/\"}\n"), Clock.systemUTC());
        Http http = new Http(port);
        String url = "https://shop.example.com/soldes?utm_source=sms&id=42";
        Http.Response sent = http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"ACME\",\"track_links\":true,"
                + "\"text\":\"Soldes -50%: " + url + " !\"}");
        assertEquals(202, sent.status(), sent.body()::toString);
        String id = sent.body().get("id").asText();
        String text = gw.store().find(id).orElseThrow().message().text();
        assertTrue(text.matches("Soldes -50%: https://go\\.example\\.com/r/[0-9A-Za-z]{10} !"), text);
        assertEquals(text.length(), sent.body().get("characters").asInt(), "length counts the short link");
        String token = text.substring(text.indexOf("/r/") + 3, text.indexOf("/r/") + 13);
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED, () -> "not delivered");

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient(); // does not follow redirects
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> open = (method, agent) -> {
            try {
                java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/r/" + token))
                        .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
                if (agent != null) {
                    b.header("User-Agent", agent);
                }
                return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        java.net.http.HttpResponse<String> head = open.apply("HEAD", "Mozilla/5.0 (iPhone) Safari/604.1");
        assertEquals(302, head.statusCode());
        assertEquals(url, head.headers().firstValue("Location").orElseThrow());
        assertEquals(302, open.apply("GET", "WhatsApp/2.23.20.0 A").statusCode());
        ((ChronicleMessageStore) gw.store()).barrier().join(); // anything they had recorded is applied by now
        assertEquals(MessageState.DELIVERED, gw.store().find(id).orElseThrow().state(), "HEAD and a preview fetcher are not a reader");

        assertEquals(302, open.apply("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1").statusCode());
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.READ, () -> "click not counted");
        smppgw.model.Event read = gw.store().find(id).orElseThrow().events().stream().filter(e -> e.type() == smppgw.model.EventType.READ)
                .findFirst().orElseThrow();
        assertEquals("click", read.via());
        assertEquals(url, read.reason());
        assertTrue(http.getText("/metrics")[1].contains("smppgw_link_requests_total{kind=\"link-preview\"} 1.0"));

        assertEquals(404, http.get("/r/AAAAAAAAAA").status(), "unknown token");
        assertEquals(404, http.get("/r/../../etc").status());
        assertEquals(400, http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"ACME\",\"track_links\":\"yes\",\"text\":\"x\"}")
                .status());
    }

    @Test
    void aPromoCodeIsUniquePerMessageAndItsRedemptionMarksTheMessageReadOnce() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        gw = Gateway.start(config(smsc, port, "tracking: {promo-code: {length: 6}}\n"), Clock.systemUTC());
        Http http = new Http(port);
        Http.Response sent = http.post("/v1/messages", "{\"to\":\"+33611111111\",\"from\":\"ACME\",\"text\":\"Code {promo}: -20%\"}");
        assertEquals(202, sent.status(), sent.body()::toString);
        assertEquals("Code XXXXXX: -20%".length(), sent.body().get("characters").asInt(), "counted with the code, not the placeholder");
        String id = sent.body().get("id").asText();
        String text = gw.store().find(id).orElseThrow().message().text();
        assertTrue(text.matches("Code [ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}: -20%"), text);
        String code = text.substring(5, 11);

        assertEquals(404, http.post("/v1/redemptions", "{\"code\":\"ZZZZZZ\"}").status());
        Http.Response redeemed = http.post("/v1/redemptions", "{\"code\":\"" + code + "\"}");
        assertEquals(200, redeemed.status(), redeemed.body()::toString);
        assertEquals(id, redeemed.body().get("id").asText());
        Http.Response again = http.post("/v1/redemptions", "{\"code\":\"" + code + "\"}");
        assertEquals(409, again.status());
        assertEquals("already_redeemed", again.body().get("error").asText());
        assertEquals(400, http.post("/v1/redemptions", "{\"code\":7}").status());
        assertEquals("READ", http.get("/v1/messages/" + id).body().get("state").asText());
    }

    @Test
    void aCampaignReportThroughTheSimulatorCountsDeliveriesReadsAndOptOuts() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n  outcomes:\n    - {to-suffix: \"13\", stat: UNDELIV}\n"
                + "    - {to-suffix: \"16\", mo-reply: \"OUI merci\"}\n    - {to-suffix: \"17\", mo-reply: \"STOP\"}\n"))
                .startUnchecked();
        gw = Gateway.start(config(smsc, port, "tracking: {base-url: \"https://go.example.com/r\"}\n"), Clock.systemUTC());
        Http http = new Http(port);
        String clicked = http.post("/v1/messages", "{\"to\":\"+33600000011\",\"from\":\"ACME\",\"campaign\":\"nov\",\"track_links\":true,"
                + "\"text\":\"https://shop.example\"}").body().get("id").asText();
        String redeemed = http.post("/v1/messages", "{\"to\":\"+33600000012\",\"from\":\"ACME\",\"campaign\":\"nov\",\"text\":\"{promo}\"}")
                .body().get("id").asText();
        String undelivered = http.post("/v1/messages", "{\"to\":\"+33600000013\",\"from\":\"ACME\",\"campaign\":\"nov\",\"text\":\"x\"}")
                .body().get("id").asText();
        String optsOut = http.post("/v1/messages", "{\"to\":\"+33600000014\",\"from\":\"ACME\",\"campaign\":\"nov\",\"text\":\"x\"}")
                .body().get("id").asText();
        // these two handsets answer through the simulator: a reply to a numeric sender (READ via reply), and STOP (a reply, and an opt-out)
        String replied = http.post("/v1/messages", "{\"to\":\"+33600000016\",\"from\":\"36111\",\"campaign\":\"nov\",\"text\":\"RDV ?\"}")
                .body().get("id").asText();
        String stopped = http.post("/v1/messages", "{\"to\":\"+33600000017\",\"from\":\"36111\",\"campaign\":\"nov\",\"text\":\"x\"}")
                .body().get("id").asText();
        http.post("/v1/messages", "{\"to\":\"+33600000015\",\"from\":\"ACME\",\"text\":\"not in the campaign\"}");
        Await.until(Duration.ofSeconds(10), () -> java.util.stream.Stream.of(clicked, redeemed, undelivered, optsOut, replied, stopped)
                .allMatch(id -> gw.store().find(id).orElseThrow().state().isFinal()), () -> "not final");
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(replied).orElseThrow().state() == MessageState.READ
                && gw.store().find(stopped).orElseThrow().state() == MessageState.READ, () -> "the handsets' replies were not matched");

        String text = gw.store().find(clicked).orElseThrow().message().text();
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                + "/r/" + text.substring(text.lastIndexOf('/') + 1))).header("User-Agent", "Mozilla/5.0 (Android 14) Chrome/126 Mobile").build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(200, http.post("/v1/redemptions", "{\"code\":\"" + gw.store().find(redeemed).orElseThrow().message().promoCode() + "\"}")
                .status());
        assertEquals(201, http.post("/v1/optouts", "{\"number\":\"+33600000014\"}").status());
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(clicked).orElseThrow().state() == MessageState.READ, () -> "click");

        Http.Response report = http.get("/v1/campaigns/nov/report?tz=Europe/Paris");
        assertEquals(200, report.status(), report.body()::toString);
        assertEquals(6, report.body().get("messages").asInt());
        assertEquals(5, report.body().get("delivered").asInt());
        assertEquals(4, report.body().get("read").asInt());
        assertEquals(2, report.body().at("/read_by_via/reply/read").asInt(), report.body()::toString);
        assertEquals(2, report.body().get("opted_out").asInt(), "the API opt-out and the handset's STOP");
        assertEquals(400, http.get("/v1/campaigns/nov/report?tz=Mars/Olympus").status());

        Path page = dir.resolve("nov.html");
        java.util.Map.Entry<Integer, String> cli = smppgw.testing.Cli.run("report", "--admin-key", Http.adminToken(dir), "--campaign", "nov", "--tz", "Europe/Paris",
                "--url", "http://127.0.0.1:" + port, "--html", page.toString());
        assertEquals(0, cli.getKey(), cli.getValue());
        assertTrue(cli.getValue().contains("campaign nov (hours in Europe/Paris): 6 messages"), cli.getValue());
        assertTrue(cli.getValue().contains("delivered 5 (83.3%), read 4 (80.0% of 5 reached), click 1, code 1, reply 2; opted out 2 (40.0%)"),
                cli.getValue());
        assertTrue(java.nio.file.Files.readString(page).contains("<svg"), "the HTML page has its charts");
    }

    @Test
    void aCampaignThatTracksLinksRewritesTheUrlsOfItsMessagesUnlessAMessageSaysOtherwiseAndKeepsItAcrossRestarts() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        GatewayConfig cfg = config(smsc, port, "tracking: {base-url: \"https://go.example.com/r\"}\n");
        gw = Gateway.start(cfg, Clock.systemUTC());
        Http http = new Http(port);
        assertEquals(404, http.get("/v1/campaigns/black%20friday").status());
        Http.Response put = http.send("PUT", "/v1/campaigns/black%20friday", "{\"track_links\": true}");
        assertEquals(200, put.status(), put.body()::toString);
        assertEquals("black friday", put.body().get("campaign").asText());
        assertTrue(http.get("/v1/campaigns/black%20friday").body().get("track_links").asBoolean());
        assertEquals(400, http.send("PUT", "/v1/campaigns/black%20friday", "{\"track_links\": \"yes\"}").status());
        assertEquals(400, http.send("PUT", "/v1/campaigns/black%20friday", "{\"colour\": 1}").status());
        assertEquals(400, http.send("PUT", "/v1/campaigns/black%20friday", "{}").status());

        String url = "https://shop.example/bf";
        java.util.function.Function<String, String> textOf = extra -> {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+33600000031\",\"from\":\"ACME\",\"text\":\"-50% " + url + "\"" + extra + "}");
            assertEquals(202, r.status(), r.body()::toString);
            return http.get("/v1/messages/" + r.body().get("id").asText()).body().get("text").asText();
        };
        assertTrue(textOf.apply(",\"campaign\":\"black friday\"").startsWith("-50% https://go.example.com/r/"), "the campaign's default");
        assertEquals("-50% " + url, textOf.apply(",\"campaign\":\"black friday\",\"track_links\":false"), "the message's own choice wins");
        assertEquals("-50% " + url, textOf.apply(",\"campaign\":\"cyber monday\""), "another campaign");
        assertEquals("-50% " + url, textOf.apply(""), "no campaign");

        gw.close();
        gw = Gateway.start(cfg, Clock.systemUTC());
        assertTrue(textOf.apply(",\"campaign\":\"black friday\"").startsWith("-50% https://go.example.com/r/"), "kept across a restart");
        assertEquals(200, http.send("PUT", "/v1/campaigns/black%20friday", "{\"track_links\": false}").status());
        assertEquals("-50% " + url, textOf.apply(",\"campaign\":\"black friday\""), "turned off");

        gw.close();
        gw = Gateway.start(config(smsc, port, ""), Clock.systemUTC()); // no tracking.base-url
        Http.Response refused = http.send("PUT", "/v1/campaigns/black%20friday", "{\"track_links\": true}");
        assertEquals(422, refused.status(), refused.body()::toString);
        assertEquals("track_links", refused.body().get("field").asText());
    }

    @Test
    void pastRetentionSmppgwPurgeStripsAMessageOfItsTextAndNumbersAndCountsIt() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        smppgw.testing.MutableClock clock = new smppgw.testing.MutableClock(System.currentTimeMillis());
        gw = Gateway.start(config(smsc, port, "store: {retention: 30d}\n"), clock);
        Http http = new Http(port);
        String id = http.post("/v1/messages", "{\"to\":\"+33600000021\",\"from\":\"ACME\",\"text\":\"votre code 480213\"}")
                .body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED, () -> "not delivered");

        java.util.Map.Entry<Integer, String> early = smppgw.testing.Cli.run("purge", "--admin-key", Http.adminToken(dir), "--url", "http://127.0.0.1:" + port);
        assertEquals(0, early.getKey(), early.getValue());
        assertTrue(early.getValue().contains("purged 0 messages"), early.getValue());
        clock.advance(Duration.ofDays(31));
        java.util.Map.Entry<Integer, String> cli = smppgw.testing.Cli.run("purge", "--admin-key", Http.adminToken(dir), "--url", "http://127.0.0.1:" + port);
        assertEquals(0, cli.getKey(), cli.getValue());
        assertTrue(cli.getValue().contains("purged 1 messages and 0 handset messages"), cli.getValue());
        java.util.Map.Entry<Integer, String> status = smppgw.testing.Cli.run("status", "--admin-key", Http.adminToken(dir), "--url", "http://127.0.0.1:" + port);
        assertTrue(status.getValue().contains("retention 30d; last pass "), status.getValue());
        assertTrue(status.getValue().contains(": 1 messages and 0 handset messages purged, 0 files deleted"), status.getValue());

        com.fasterxml.jackson.databind.JsonNode m = http.get("/v1/messages/" + id).body();
        assertEquals("DELIVERED", m.get("state").asText(), m::toString);
        assertTrue(m.get("text").isNull(), m::toString);
        assertTrue(m.get("to").isNull(), m::toString);
        assertTrue(m.has("purged_at"), m::toString);
        assertTrue(http.getText("/metrics")[1].contains("smppgw_purged_total{kind=\"messages\"} 1.0"), "counted");
    }

    @Test
    void quietHoursAndSendAtHoldAMessageUntilItsTimeNeverEarly() throws Exception {
        int smsc = Ports.free();
        int port = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        java.time.ZoneId paris = java.time.ZoneId.of("Europe/Paris");
        java.time.LocalDate day = java.time.LocalDate.now(paris).plusDays(2); // a window that is closed now, whatever the time
        gw = Gateway.start(config(smsc, port, "compliance:\n  default-time-zone: UTC\n  send-windows:\n    promotional: {days: [" + day.getDayOfWeek().name()
                + "], from: \"09:00\", to: \"17:00\"}\n"), Clock.systemUTC());
        Http http = new Http(port);

        Http.Response promo = http.post("/v1/messages", message("+33611111111", "promotional"));
        assertEquals(202, promo.status(), promo.body()::toString);
        Http.Response held = http.get("/v1/messages/" + promo.body().get("id").asText());
        assertEquals("SCHEDULED", held.body().get("state").asText());
        assertEquals(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(9, 0), paris).toInstant().toString(),
                held.body().get("send_at").asText(), "09:00 in Paris, the number's time zone");
        Http.Response nyNumber = http.post("/v1/messages", message("+12125550123", "promotional"));
        assertEquals(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(9, 0), java.time.ZoneId.of("America/New_York")).toInstant().toString(),
                http.get("/v1/messages/" + nyNumber.body().get("id").asText()).body().get("send_at").asText(),
                "a New York number (area code 212) waits for New York's daytime, not UTC's");
        Http.Response ny = http.post("/v1/messages", "{\"to\":\"+33611111112\",\"from\":\"36111\",\"text\":\"x\",\"class\":\"promotional\","
                + "\"time_zone\":\"America/New_York\"}");
        assertEquals(java.time.ZonedDateTime.of(day, java.time.LocalTime.of(9, 0), java.time.ZoneId.of("America/New_York")).toInstant().toString(),
                http.get("/v1/messages/" + ny.body().get("id").asText()).body().get("send_at").asText(), "a message's own time zone");

        long before = System.currentTimeMillis();
        String at = java.time.Instant.ofEpochMilli(before + 1500).toString();
        Http.Response later = http.post("/v1/messages", "{\"to\":\"+33611111113\",\"from\":\"36111\",\"text\":\"x\",\"send_at\":\"" + at + "\"}");
        String laterId = later.body().get("id").asText();
        assertEquals("SCHEDULED", http.get("/v1/messages/" + laterId).body().get("state").asText());
        Await.until(Duration.ofSeconds(15), () -> gw.store().find(laterId).orElseThrow().state() == MessageState.DELIVERED, () -> "not sent");
        long submittedAt = gw.store().find(laterId).orElseThrow().events().stream().filter(e -> e.type() == smppgw.model.EventType.SUBMITTED)
                .findFirst().orElseThrow().at();
        assertTrue(submittedAt >= before + 1500, "never early: submitted " + (submittedAt - before - 1500) + " ms after send_at");

        String now = http.post("/v1/messages", message("+33611111114", null)).body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(now).orElseThrow().state() == MessageState.DELIVERED,
                () -> "transactional has no window here");
        assertEquals("SCHEDULED", http.get("/v1/messages/" + promo.body().get("id").asText()).body().get("state").asText());
        assertEquals(400, http.post("/v1/messages", "{\"to\":\"+33611111115\",\"from\":\"36111\",\"text\":\"x\",\"send_at\":\"tomorrow\"}")
                .status());
        assertEquals(400, http.post("/v1/messages", "{\"to\":\"+33611111115\",\"from\":\"36111\",\"text\":\"x\",\"time_zone\":\"Mars/Base\"}")
                .status());
    }

    private static boolean optedOut(smppgw.store.MessageStore store, String number) {
        return store.consent("", number).map(smppgw.model.Consent::optedOut).orElse(false);
    }

    @Test
    void keywordsFromHandsetsOptOutAndBackInWhateverFormTheSmscGivesTheNumberIn() throws Exception {
        try (ChronicleMessageStore store = ChronicleMessageStore.open(dir, List.of("fr"), java.util.Set.of(), java.util.Map.of(), java.util.Map.of(),
                java.util.Map.of(), java.util.Map.of(), Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO, 64, 1024, Clock.systemUTC(),
                new StateLog(true, false), "33", new Keywords(List.of("STOP", "ARRET"), List.of("START")), true, -1)) {
            ReceiptRecorder r = new ReceiptRecorder(store, Clock.systemUTC(), new Metrics());
            r.onMo("fr", "fr-0", "33611111111", "36111", "Arrêt", null).get(); // international without '+'
            r.onMo("fr", "fr-0", "0622222222", "36111", "stop", null).get(); // national
            r.onMo("fr", "fr-0", "+33633333333", "36111", "OUI", null).get(); // a reply, not a keyword
            r.onMo("fr", "fr-0", "+33644444444", "36111", "stop merci", null).get(); // a sentence, not a keyword
            // nobody was sent anything from 36111 and no client owns it: the gateway's own list
            assertEquals("ARRET", store.consent(null, "+33611111111").orElseThrow().history().get(0).detail());
            assertTrue(store.consent(null, "+33622222222").orElseThrow().optedOut());
            assertFalse(store.consent(null, "+33633333333").isPresent());
            assertFalse(store.consent(null, "+33644444444").isPresent());
            r.onMo("fr", "fr-0", "+33611111111", "36111", "START", null).get();
            assertFalse(store.consent(null, "+33611111111").orElseThrow().optedOut(), "START takes the number off the list");
            assertEquals(1, store.optOuts(null, null, 10).size());
        }
    }
}
