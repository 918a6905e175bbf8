package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import smppgw.config.GatewayConfig;
import smppgw.daemon.ShardedNode;
import smppgw.model.Ids;
import smppgw.route.Shards;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Http;
import smppgw.testing.KafkaCluster;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The front of a sharded group (two nodes, four shards, real brokers): an integrator may use either node's address for
 * any recipient and any message. Each request is answered by the core of its shard, on the node that took it or on the
 * other one (forwarded once); a batch is split by shard and answered in its order; a lookup by {@code client_ref} asks
 * every shard; concurrent requests for one recipient on both nodes meet its shard's one writer (one message per
 * {@code client_ref}, the frequency cap, an opt-out).
 */
class ShardFrontTest {
    private static final int SHARDS = 4;
    /** The same on both nodes: an admin request forwarded to the other node carries it. */
    private static final String ADMIN = "admin-key-shard-front-0123";
    private static final String KEY = "k-shard-front-0123456789";

    @TempDir
    Path tmp;

    private KafkaCluster kafka;
    private final String prefix = KafkaCluster.prefix();
    private final ShardedNode[] nodes = new ShardedNode[2];
    private final int[] ports = {Ports.free(), Ports.free()};
    private final Http[] http = {new Http(ports[0]).withKey(KEY), new Http(ports[1]).withKey(KEY)};

    @BeforeEach
    void up() throws Exception {
        kafka = KafkaCluster.shared();
        nodes[0] = node(0);
        nodes[1] = node(1);
        smppgw.testing.Sharded.awaitSplit(nodes, ports, SHARDS);
    }

    @AfterEach
    void down() throws Exception {
        Closer.close(nodes[0], nodes[1]);
    }

    private ShardedNode node(int i) {
        String name = String.valueOf((char) ('a' + i));
        Path dir = tmp.resolve(name);
        return ShardedNode.start(() -> GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + ports[i] + "}\n"
                + "log: {state-changes: false}\nadmin: {api-key: " + ADMIN + "}\n"
                + "store: {type: kafka, kafka: {bootstrap: '" + kafka.bootstrap() + "', topic-prefix: " + prefix + "}}\n"
                + "cluster: {node-id: " + name + ", failover-group: g, session-timeout: 6s, warm-standby: false}\n"
                + "compliance: {frequency-cap: {max: 3, period: 7d}}\ntracking: {base-url: 'https://go.example.com/r'}\n"
                + "clients:\n  - {name: acme, api-key: " + KEY + ", system-id: acme, password: pw}\n"
                + "operators:\n  - name: op\n    default: true\n    binds: [{host: 127.0.0.1, port: 1, system-id: gw, password: pw, count: 2}]\n",
                dir), Clock.systemUTC(), SHARDS);
    }

    private static String message(String to, String extra) {
        return "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"hello\"" + extra + "}";
    }

    /** A number (from {@code +33692...}) whose shard runs on node {@code i}, not used before: {@code n} picks the n-th. */
    private String numberOn(int i, int n) {
        int seen = 0;
        for (int k = 0; ; k++) {
            String to = "+33692" + String.format("%06d", k);
            if (nodes[i].shards().contains(Shards.of(to, SHARDS)) && seen++ == n) {
                return to;
            }
        }
    }

    /** {@code count} requests at once, spread over both nodes in turn. */
    private List<Http.Response> concurrently(int count, String body) {
        List<CompletableFuture<Http.Response>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            posts.add(http[i % 2].postAsync("/v1/messages", body));
        }
        return posts.stream().map(CompletableFuture::join).toList();
    }

    private double forwarded(int i) {
        String[] m = new Http(ports[i]).getText("/metrics");
        assertEquals("200", m[0], m[1]);
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("smppgw_shard_front_requests_total\\{answered=\"forwarded\"} (\\S+)").matcher(m[1]);
        assertTrue(x.find(), m[1]);
        return Double.parseDouble(x.group(1));
    }

    /** Messages accepted by the cores of both nodes, from their /metrics (each core counts what it accepted, once). */
    private double acceptedByEveryCore() {
        double sum = 0;
        for (int port : ports) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^smppgw_intake_total\\{[^}]*result=\"accepted\"[^}]*shard=[^}]*} (\\S+)$")
                    .matcher(new Http(port).getText("/metrics")[1]);
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    @Test
    void eitherNodeTakesAnyRecipientAndAnswersForAnyMessage() throws Exception {
        // one message per number, each to either node: stored in its recipient's shard, wherever that runs
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            String to = "+3369100" + String.format("%04d", i);
            Http.Response r = http[i % 2].post("/v1/messages", message(to, ""));
            assertEquals(202, r.status(), r.body()::toString);
            String id = r.body().get("id").asText();
            assertEquals(Shards.of(to, SHARDS), Ids.shardOf(id), id + " carries its recipient's shard");
            ids.put(to, id);
        }
        for (Map.Entry<String, String> e : ids.entrySet()) {
            int shard = Shards.of(e.getKey(), SHARDS);
            ShardedNode owner = nodes[0].shards().contains(shard) ? nodes[0] : nodes[1];
            assertTrue(owner.store(shard).flatMap(s -> s.find(e.getValue())).isPresent(), e + " in its shard's store");
            for (Http h : http) {
                Http.Response got = h.get("/v1/messages/" + e.getValue());
                assertEquals(200, got.status(), got.body()::toString);
                assertEquals(e.getKey(), got.body().get("to").asText());
            }
        }
        assertTrue(forwarded(0) >= 10 && forwarded(1) >= 10, "each node forwarded what the other's shards answer");
        assertEquals(404, http[1].get("/v1/messages/01M81ZQBK84ZF8TZ24HRNS3PXS").status());

        // the same client_ref from both nodes at once, for a number whose shard runs on b: one message
        String refTo = numberOn(1, 0);
        List<Http.Response> refs = concurrently(20, message(refTo, ",\"client_ref\":\"order-1\""));
        assertTrue(refs.stream().allMatch(r -> r.status() == 202 || r.status() == 200), () -> refs.stream().map(Http.Response::status).toList().toString());
        Set<String> refIds = refs.stream().map(r -> r.body().get("id").asText()).collect(Collectors.toSet());
        assertEquals(1, refIds.size(), refIds::toString);
        for (Http h : http) { // looked up by client_ref on either node: every shard is asked
            Http.Response byRef = h.get("/v1/messages?client_ref=order-1");
            assertEquals(200, byRef.status(), byRef.body()::toString);
            assertEquals(refIds.iterator().next(), byRef.body().get("id").asText());
            assertEquals(404, h.get("/v1/messages?client_ref=no-such-ref").status());
        }

        // the frequency cap (3 in 7 days), 20 promotional messages for one number from both nodes at once
        List<Http.Response> capped = concurrently(20, message(numberOn(0, 0), ",\"class\":\"promotional\""));
        assertEquals(3, capped.stream().filter(r -> r.status() == 202).count(), () -> capped.stream().map(Http.Response::status).toList().toString());
        assertEquals(17, capped.stream().filter(r -> r.status() == 429 && r.body().get("error").asText().equals("frequency_cap")).count());
        // refused over the cap, a message gives its client_ref (held by another shard's core) back: it may name another message
        String full = numberOn(0, 0);
        String freed = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "freed-" + i)
                .filter(r -> smppgw.intake.ClientRefs.shardOf("acme", r, SHARDS) != Shards.of(full, SHARDS)).findFirst().orElseThrow();
        Http.Response over = http[1].post("/v1/messages", message(full, ",\"class\":\"promotional\",\"client_ref\":\"" + freed + "\""));
        assertEquals(429, over.status(), over.body()::toString);
        Http.Response reused = http[0].post("/v1/messages", message(numberOn(1, 30), ",\"client_ref\":\"" + freed + "\""));
        assertEquals(202, reused.status(), () -> "the reference given back when the first was refused: " + reused.body());

        // a client_ref reused for another recipient of another shard, both at once through both nodes: one message, the other
        // refused 409 client_ref_conflict as on one gateway — whether the reference's shard is one of theirs or a third
        int[] apart = new int[2];
        for (int round = 0; round < 12; round++) {
            String ref = "shared-" + round;
            String onA = numberOn(0, 10 + round);
            String onB = numberOn(1, 10 + round);
            int f = smppgw.intake.ClientRefs.shardOf("acme", ref, SHARDS);
            apart[f == Shards.of(onA, SHARDS) || f == Shards.of(onB, SHARDS) ? 0 : 1]++;
            CompletableFuture<Http.Response> x = http[round % 2].postAsync("/v1/messages", message(onA, ",\"client_ref\":\"" + ref + "\""));
            CompletableFuture<Http.Response> y = http[1 - round % 2].postAsync("/v1/messages", message(onB, ",\"client_ref\":\"" + ref + "\""));
            List<Http.Response> both = List.of(x.join(), y.join());
            Http.Response taken = both.stream().filter(r -> r.status() == 202).findFirst().orElse(null);
            assertTrue(taken != null && both.stream().filter(r -> r.status() == 409 && r.body().path("error").asText().equals("client_ref_conflict"))
                    .count() == 1, () -> ref + ": " + both.stream().map(r -> r.status() + " " + r.body()).toList());
            String winner = taken == both.get(0) ? onA : onB;
            Http.Response again = http[round % 2].post("/v1/messages", message(winner, ",\"client_ref\":\"" + ref + "\""));
            assertEquals(200, again.status(), () -> ref + " sent again for its own recipient: " + again.body());
            assertEquals(taken.body().path("id").asText(), again.body().path("id").asText());
            assertEquals(taken.body().path("id").asText(), http[1].get("/v1/messages?client_ref=" + ref).body().path("id").asText());
        }
        assertTrue(apart[0] > 0 && apart[1] > 0, () -> "rounds with the reference's shard one of the recipients' and a third: " + apart[0] + "/" + apart[1]);

        // an opt-out taken on a for a number whose shard runs on b holds on both nodes from its answer on
        String stop = numberOn(1, 1);
        Http.Response optOut = http[0].post("/v1/optouts", "{\"number\":\"" + stop + "\"}");
        assertTrue(optOut.status() / 100 == 2, optOut.body()::toString);
        List<Http.Response> afterOptOut = concurrently(10, message(stop, ",\"class\":\"promotional\""));
        assertEquals(10, afterOptOut.stream().filter(r -> r.status() == 409 && r.body().get("error").asText().equals("opted_out")).count(),
                () -> afterOptOut.stream().map(r -> r.status() + " " + r.body()).distinct().toList().toString());
        assertEquals(200, http[0].get("/v1/optouts/" + stop).status());
        assertEquals(200, http[1].get("/v1/optouts/" + stop).status());

        // the client's list, from either node: every shard's entries in number order, a page at a time
        java.util.TreeSet<String> listed = new java.util.TreeSet<>(Set.of(stop));
        for (int i = 0; i < 7; i++) {
            String n = "+3369400" + String.format("%04d", i * 37);
            assertTrue(http[i % 2].post("/v1/optouts", "{\"number\":\"" + n + "\"}").status() / 100 == 2);
            listed.add(n);
        }
        assertTrue(listed.stream().map(n -> Shards.of(n, SHARDS)).distinct().count() > 2, "the list is spread over the shards");
        for (Http h : http) {
            List<String> paged = new ArrayList<>();
            String after = null;
            for (int page = 0; page < 10; page++) {
                Http.Response r = h.get("/v1/optouts?limit=3" + (after == null ? "" : "&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8)));
                assertEquals(200, r.status(), r.body()::toString);
                r.body().get("optouts").forEach(e -> paged.add(e.get("number").asText()));
                assertTrue(r.body().get("optouts").size() <= 3, r.body()::toString);
                after = r.body().path("next").asText(null);
                if (after == null) {
                    break;
                }
            }
            assertEquals(new ArrayList<>(listed), paged, "every entry once, in number order");
        }

        // each node's /metrics has the figures of the cores it runs, each labelled with its shard
        for (int i = 0; i < 2; i++) {
            String text = new Http(ports[i]).getText("/metrics")[1];
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^smppgw_intake_total\\{[^}]*result=\"accepted\"[^}]*shard=\"(\\d+)\"} (\\S+)$")
                    .matcher(text);
            Set<Integer> shards = new java.util.TreeSet<>();
            while (m.find()) {
                assertTrue(Double.parseDouble(m.group(2)) > 0, m.group());
                shards.add(Integer.parseInt(m.group(1)));
            }
            assertEquals(new java.util.TreeSet<>(nodes[i].shards()), shards, text);
            assertEquals(1, text.lines().filter(l -> l.startsWith("# TYPE jvm_threads_current ")).count(), "the JVM's figures once");
        }
    }

    @Test
    void aBatchIsSplitByShardAndAnsweredInItsOrder() throws Exception {
        List<String> to = new ArrayList<>();
        for (int node = 0; node < 2; node++) { // to each node: one of them holds the shard of the first message, the other does not
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            to = new ArrayList<>();
            for (int i = 0; i < 31; i++) {
                String n = i == 7 ? "not-a-number" : "+336930" + node + "0" + String.format("%04d", i);
                to.add(n);
                batch.append(i == 0 ? "" : ",").append(message(n, ""));
            }
            double before = acceptedByEveryCore();
            Http.Response r = http[node].post("/v1/messages/batch", batch.append("]}").toString());
            assertEquals(200, r.status(), r.body()::toString);
            assertEquals(30, acceptedByEveryCore() - before, "each message of the batch taken by one core, once");
            assertEquals(30, r.body().get("accepted").asInt(), r.body()::toString);
            assertEquals(1, r.body().get("rejected").asInt());
            JsonNode results = r.body().get("results");
            assertEquals(31, results.size());
            assertEquals("messages[7].to", results.get(7).get("field").asText(), results.get(7)::toString);
            Set<Integer> shards = new java.util.HashSet<>();
            for (int i = 0; i < 31; i++) {
                if (i == 7) {
                    continue;
                }
                String id = results.get(i).get("id").asText();
                int shard = Shards.of(to.get(i), SHARDS);
                shards.add(shard);
                assertEquals(shard, Ids.shardOf(id), "result " + i + " answers message " + i);
                Http.Response got = http[1 - node].get("/v1/messages/" + id);
                assertEquals(200, got.status(), got.body()::toString);
                assertEquals(to.get(i), got.body().get("to").asText(), "result " + i + " is message " + i);
            }
            assertEquals(SHARDS, shards.size(), "the batch went to every shard, on both nodes");
        }

        // refused the same by every part: one answer; no key at all is a 401 as on any gateway
        Http.Response noKey = new Http(ports[0]).post("/v1/messages/batch", "{\"messages\":[" + message(to.get(0), "") + "," + message(to.get(1), "") + "]}");
        assertEquals(401, noKey.status(), noKey.body()::toString);
        Http.Response empty = http[1].post("/v1/messages/batch", "{\"messages\":[]}");
        assertEquals(400, empty.status(), empty.body()::toString);
    }

    @Test
    void aNodeLeavingMidRunLosesNothingItsIntegratorsWereToldWasTaken() throws Exception {
        // an integrator on node a, retrying what it is told to retry with the same client_ref, while node b leaves the group
        Map<String, String> ids = new LinkedHashMap<>();
        java.util.concurrent.atomic.AtomicInteger retried = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 150; i++) {
            if (i == 50) {
                nodes[1].close(); // b's shards move to a (their cores close on b first); meanwhile their requests get 503
                nodes[1] = null;
            }
            String ref = "leave-" + i;
            String body = message("+3369500" + String.format("%04d", i), ",\"client_ref\":\"" + ref + "\"");
            Http.Response[] r = {http[0].post("/v1/messages", body)};
            Await.until(Duration.ofSeconds(60), () -> { // a 503 retried with the same client_ref until it is answered otherwise
                if (r[0].status() != 503) {
                    return true;
                }
                retried.incrementAndGet();
                r[0] = http[0].post("/v1/messages", body);
                return r[0].status() != 503;
            }, () -> ref + " still refused: " + r[0].body());
            assertTrue(r[0].status() == 202 || r[0].status() == 200, () -> ref + ": " + r[0].status() + " " + r[0].body());
            ids.put(ref, r[0].body().get("id").asText());
        }
        assertTrue(retried.get() > 0, "some requests met the move (503, retried)");
        assertEquals(150, new java.util.HashSet<>(ids.values()).size(), "one message per client_ref");
        Await.until(Duration.ofSeconds(60), () -> nodes[0].shards().size() == SHARDS, () -> "a runs " + nodes[0].shards());
        for (Map.Entry<String, String> e : ids.entrySet()) { // each in its shard's store on a, as answered, once
            int shard = Ids.shardOf(e.getValue());
            assertTrue(nodes[0].store(shard).flatMap(st -> st.find(e.getValue())).isPresent(), e::toString);
            Http.Response byRef = http[0].get("/v1/messages?client_ref=" + e.getKey());
            assertEquals(e.getValue(), byRef.body().path("id").asText(), byRef.body()::toString);
        }
    }

    @Test
    void linksPromoCodesAndCampaignControlsOfEveryShardAnswerThroughEitherNode() throws Exception {
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String phone = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";
        for (int i = 0; i < 8; i++) { // numbers of both nodes' shards; each link clicked and each code redeemed through the other node
            int node = i % 2;
            String to = numberOn(node, 60 + i);
            Http.Response r = http[node].post("/v1/messages", "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"Soldes https://shop.example.com/p" + i
                    + " code {promo}\",\"track_links\":true,\"campaign\":\"liens\"}");
            assertEquals(202, r.status(), r.body()::toString);
            String id = r.body().get("id").asText();
            String text = http[node].get("/v1/messages/" + id).body().get("text").asText();
            String token = text.substring(text.indexOf("/r/") + 3, text.indexOf("/r/") + 13);
            String code = text.substring(text.indexOf("code ") + 5).trim();
            int shard = Shards.of(to, SHARDS);
            assertEquals(shard, Shards.ofCode(token, SHARDS), "the token of a message of shard " + shard + ": " + token);
            assertEquals(shard, Shards.ofCode(code, SHARDS), "its promo code: " + code);

            HttpResponse<String> click = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1 - node] + "/r/" + token))
                    .header("User-Agent", phone).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(302, click.statusCode(), click::body);
            assertEquals("https://shop.example.com/p" + i, click.headers().firstValue("Location").orElse(null));
            Http.Response redeemed = http[1 - node].post("/v1/redemptions", "{\"code\":\"" + code + "\"}");
            assertEquals(200, redeemed.status(), redeemed.body()::toString);
            assertEquals(id, redeemed.body().get("id").asText());
            assertEquals(409, http[node].post("/v1/redemptions", "{\"code\":\"" + code + "\"}").status(), "once, whichever node is asked");
            Http.Response converted = http[1 - node].post("/v1/conversions", "{\"message_id\":\"" + id + "\",\"value\":12.5}");
            assertEquals(200, converted.status(), converted.body()::toString);
            List<String> events = new ArrayList<>();
            http[1 - node].get("/v1/messages/" + id).body().path("events").forEach(e -> events.add(e.path("type").asText() + "/" + e.path("via").asText()));
            assertTrue(events.containsAll(List.of("READ/click", "CONVERSION/api")), () -> "the click and the conversion recorded on the message's shard: " + events);
        }
        assertEquals(404, browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/r/aB3dE6gH9k")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "a token no core drew");
        assertEquals(404, http[0].post("/v1/redemptions", "{\"code\":\"NOSUCHCD\"}").status());

        // the campaign's report through either node (and the admin API): every shard's counts added up, rates from the sums
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            for (Http h : List.of(http[n], new Http(ports[n]).withKey(ADMIN))) {
                Http.Response rep = h.get((h == http[n] ? "/v1" : "/admin") + "/campaigns/liens/report?tz=Europe/Paris");
                assertEquals(200, rep.status(), rep.body()::toString);
                JsonNode r = rep.body();
                assertEquals("liens", r.path("campaign").asText(), r::toString);
                assertEquals("Europe/Paris", r.path("time_zone").asText(), r::toString);
                assertEquals(8, r.path("messages").asInt(), r::toString);
                assertEquals(8, r.path("read").asInt(), () -> "each message read by its click: " + r);
                assertEquals(8, r.path("reached").asInt(), r::toString);
                assertEquals(1.0, r.path("read_rate").asDouble(), r::toString);
                assertEquals(8, r.path("read_by_via").path("click").path("read").asInt(), r::toString);
                assertEquals(8, r.path("clicks").path("unique").asInt(), r::toString);
                assertEquals(8, r.path("converted").asInt(), () -> "a code redeemed and a conversion each: " + r);
                assertEquals(100.0, r.path("value").asDouble(), r::toString);
                assertEquals(8, r.path("time_to_read_s").path("count").asInt(), r::toString);
            }
            // its messages, three a page, through either node: every shard's merged by id, each once, in id order
            List<String> paged = new ArrayList<>();
            String after = "";
            for (int page = 0; page < 5 && after != null; page++) {
                JsonNode p = http[n].get("/v1/campaigns/liens/messages?limit=3" + (after.isEmpty() ? "" : "&after=" + after)).body();
                p.path("messages").forEach(m -> paged.add(m.path("id").asText()));
                assertTrue(p.path("messages").size() <= 3, p::toString);
                after = p.path("next").isNull() ? null : p.path("next").asText();
            }
            assertEquals(8, paged.size(), paged::toString);
            assertEquals(paged.stream().sorted().toList(), paged, "oldest first");
            assertEquals(new java.util.HashSet<>(paged).size(), paged.size(), paged::toString);
            assertTrue(paged.stream().map(Ids::shardOf).distinct().count() > 2, () -> "messages of several shards: " + paged);
            if (n == 1) {
                assertEquals(ids, paged, "the same pages through either node");
            }
            ids.clear();
            ids.addAll(paged);
        }
        HttpResponse<String> csvPage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1]
                + "/v1/campaigns/liens/messages?format=csv&read=true&limit=5")).header("Authorization", "Bearer " + KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csvPage.statusCode(), csvPage.body());
        assertTrue(csvPage.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), csvPage.headers()::toString);
        List<String> lines = csvPage.body().lines().toList();
        assertTrue(lines.get(0).startsWith("id,to,variant"), lines::toString);
        assertEquals(ids.subList(0, 5), lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(','))).toList());
        assertEquals(ids.get(4), csvPage.headers().firstValue("X-Next-After").orElse(null));
        assertEquals(400, http[0].get("/v1/campaigns/liens/report?tz=Mars/Olympus").status(), "each shard refuses what it cannot read");
        assertEquals(400, http[0].get("/v1/campaigns/liens/messages?limit=0").status());

        // a campaign's settings and controls reach every shard through either node
        Http.Response put = http[0].send("PUT", "/v1/campaigns/noel", "{\"draft\":true,\"from\":\"ACME\",\"track_links\":true}");
        assertEquals(200, put.status(), put.body()::toString);
        assertEquals("draft", http[1].get("/v1/campaigns/noel").body().path("status").asText());
        assertEquals("noel", http[1].get("/v1/campaigns").body().path("campaigns").path(0).path("campaign").asText());
        String tomorrow = java.time.Instant.now().plus(Duration.ofDays(1)).toString();
        for (int i = 0; i < 6; i++) { // held until tomorrow, in the shards of both nodes
            Http.Response r = http[i % 2].post("/v1/messages", message(numberOn(i % 2, 80 + i), ",\"campaign\":\"noel\",\"send_at\":\"" + tomorrow + "\""));
            assertEquals(202, r.status(), r.body()::toString);
        }
        Http.Response started = http[1].post("/v1/campaigns/noel/start", "{}");
        assertEquals(200, started.status(), started.body()::toString);
        assertEquals(6, started.body().path("messages").asInt(), () -> "every shard's held messages moved to now: " + started.body());
        assertEquals("running", http[0].get("/v1/campaigns/noel").body().path("status").asText(), "started in the shards of a too");
        Http.Response cancelled = http[0].post("/v1/campaigns/noel/cancel", "{}");
        assertEquals(200, cancelled.status(), cancelled.body()::toString);
        assertEquals(6, cancelled.body().path("cancelled").asInt() + cancelled.body().path("too_late").asInt(), cancelled.body()::toString);
        assertTrue(cancelled.body().path("cancelled").asInt() > 0, cancelled.body()::toString); // nothing can be sent: the SMSC is unreachable
        assertEquals("cancelled", http[1].get("/v1/campaigns/noel").body().path("status").asText(), "cancelled in the shards of b too");

        // a recipients upload through either node: each recipient to its shard, one answer with the lines as sent
        Http.Response soldes = http[1].send("PUT", "/v1/campaigns/soldes", "{\"from\":\"ACME\",\"variants\":[{\"name\":\"A\",\"text\":\"Bonjour {first_name}\"}]}");
        assertEquals(200, soldes.status(), soldes.body()::toString);
        StringBuilder csv = new StringBuilder("to,first_name\n");
        for (int i = 0; i < 10; i++) { // lines 2 to 11, numbers of both nodes' shards
            csv.append(numberOn(i % 2, 100 + i)).append(",Client ").append(i).append('\n');
        }
        csv.append(numberOn(1, 101)).append(",Again\n"); // line 12: uploaded twice
        csv.append("12,Nobody\n"); // line 13: not a number
        JsonNode upload = Http.JSON.readTree(http[0].postCsv("/v1/campaigns/soldes/recipients", csv.toString()).body());
        assertEquals(10, upload.path("accepted").asInt(), upload::toString);
        assertEquals(1, upload.path("duplicates").asInt(), upload::toString);
        assertEquals(1, upload.path("rejected_total").asInt(), upload::toString);
        assertEquals(13, upload.path("rejected").path(0).path("line").asInt(), () -> "the line in the list as sent: " + upload);
        assertEquals("to", upload.path("rejected").path(0).path("field").asText(), upload::toString);
        JsonNode again = Http.JSON.readTree(http[1].postCsv("/v1/campaigns/soldes/recipients", csv.toString()).body());
        assertEquals(0, again.path("accepted").asInt(), () -> "sent again whole: every recipient already has its message: " + again);
        assertEquals(11, again.path("duplicates").asInt(), again::toString);
        Http.Response stopped = http[1].post("/v1/campaigns/soldes/cancel", "{}");
        assertEquals(10, stopped.body().path("cancelled").asInt() + stopped.body().path("too_late").asInt(), () -> "the ten messages in their shards: " + stopped.body());
        JsonNode report = http[0].get("/v1/campaigns/soldes/report").body();
        assertEquals(10, report.path("messages").asInt(), report::toString);
        assertEquals(10, report.path("variants").path(0).path("recipients").asInt(), () -> "variant A's ten recipients in both nodes' shards: " + report);
        List<String> listed = new ArrayList<>();
        new Http(ports[1]).withKey(ADMIN).get("/admin/campaigns").body().path("campaigns").forEach(c -> listed.add(c.path("campaign").asText()));
        assertTrue(listed.containsAll(List.of("noel", "soldes")), () -> "the admin API's list from any core (every shard keeps the settings): " + listed);
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        String onB = numberOn(1, 0);
        HttpResponse<String> looped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/v1/messages"))
                .header("X-Smppgw-Forwarded-By", "z").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(message(onB, ""))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, looped.statusCode(), looped.body());
        assertTrue(looped.body().contains("shard_moved"), looped.body());
        assertTrue(looped.headers().firstValue("Retry-After").isPresent());

        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/v1/messages"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(message(onB, ""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, direct.statusCode(), direct.body());
        assertEquals("b", direct.headers().firstValue("X-Smppgw-Answered-By").orElse(null), "answered by the node that runs the shard");

        // the admin status on either node: the group's nodes and their shards, then this node's cores; smppgw status prints it
        assertEquals(401, new Http(ports[0]).get("/admin/status").status());
        for (int i = 0; i < 2; i++) {
            JsonNode st = new Http(ports[i]).withKey(ADMIN).get("/admin/status").body();
            assertEquals("sharded", st.get("role").asText(), st::toString);
            assertEquals(2, st.path("cluster").path("nodes").size(), st::toString);
            for (JsonNode n : st.path("cluster").path("nodes")) {
                int at = n.get("node_id").asText().charAt(0) - 'a';
                assertEquals("http://127.0.0.1:" + ports[at], n.get("url").asText(), st::toString);
                assertEquals(nodes[at].shards().toString(), n.get("shards").toString().replace(",", ", "), st::toString);
            }
            List<String> here = new ArrayList<>();
            st.path("shards_here").fieldNames().forEachRemaining(here::add);
            assertEquals(nodes[i].shards().stream().map(String::valueOf).toList(), here, st::toString);
        }
        java.util.Map.Entry<Integer, String> status = smppgw.testing.Cli.run("status", "--url", "http://127.0.0.1:" + ports[1],
                "--admin-key", ADMIN);
        assertEquals(0, status.getKey(), status.getValue());
        assertTrue(status.getValue().contains("node b of sharded group g (4 shards), ok"), status.getValue());
        assertTrue(status.getValue().contains("node a (http://127.0.0.1:" + ports[0] + "): shards " + String.join(", ",
                nodes[0].shards().stream().map(String::valueOf).toList())), status.getValue());
        for (int k : nodes[1].shards()) {
            assertTrue(status.getValue().contains("shard " + k + " here: store ok, backlog "), status.getValue());
        }

        // the admin API's lookups go to the shard: a message and numbers of node b's shards, asked of node a (the same key)
        Http adminA = new Http(ports[0]).withKey(ADMIN);
        Http adminB = new Http(ports[1]).withKey(ADMIN);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(direct.body()).get("id").asText();
        Http.Response found = adminA.get("/admin/messages/" + id);
        assertEquals(200, found.status(), found.body()::toString);
        assertEquals(onB, found.body().path("to").asText(), found.body()::toString);
        String stopB = numberOn(1, 40);
        String stopA = numberOn(0, 40);
        for (String n : List.of(stopB, stopA)) {
            Http.Response added = adminA.post("/admin/optouts", "{\"number\":\"" + n + "\"}");
            assertEquals(201, added.status(), added.body()::toString);
        }
        assertEquals(200, adminB.get("/admin/optouts/" + stopA).status(), "taken through a, found through b");
        assertEquals(404, adminB.get("/admin/optouts/" + numberOn(0, 41)).status());
        List<String> listed = new ArrayList<>();
        adminB.get("/admin/optouts").body().path("optouts").forEach(o -> listed.add(o.path("number").asText()));
        assertTrue(listed.containsAll(List.of(stopA, stopB)), "the list of every shard: " + listed);
        Http.Response purged = adminA.post("/admin/purge", "{}");
        assertEquals(200, purged.status(), purged.body()::toString);
        assertTrue(purged.body().path("messages").isIntegralNumber() && purged.body().path("files").isArray(), purged.body()::toString);
        assertEquals(401, new Http(ports[0]).withKey("not-the-admin-key-0123").get("/admin/messages/" + id).status());

        Http.Response campaigns = http[0].get("/v1/campaigns/noel/report");
        assertEquals(200, campaigns.status(), campaigns.body()::toString);
        assertEquals("noel", campaigns.body().path("campaign").asText(), campaigns.body()::toString);
        JsonNode health = new Http(ports[1]).get("/health").body();
        assertEquals("sharded", health.get("role").asText(), health::toString);
        assertEquals(2, health.get("shards_here").size(), health::toString);
    }
}
