package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys, per-client ownership and rate limits, batch intake and client_ref lookup. */
class ClientsApiTest {
    private static final String ACME = "acme-key-0123456789";
    private static final String BETA = "beta-key-0123456789";
    private static final String SLOW = "slow-key-0123456789";
    @TempDir
    static Path dir;
    static SmscSimulator sim;
    static Gateway gw;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        port = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + port + ", max-batch: 10}\n"
                + "clients:\n"
                + "  - {name: acme, api-key: " + ACME + "}\n"
                + "  - {name: beta, api-key: " + BETA + "}\n"
                + "  - {name: slow, api-key: " + SLOW + ", tps: 1}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 10);
        gw = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        sim.close();
    }

    private static Http.Response call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), r.body().isEmpty() ? null : Http.JSON.readTree(r.body()));
    }

    private static String msg(String to, String ref) {
        return "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"x\"" + (ref == null ? "" : ",\"client_ref\":\"" + ref + "\"") + "}";
    }

    @Test
    void everyV1CallNeedsAKeyAndSeesOnlyItsOwnMessages() throws Exception {
        assertEquals(401, call("POST", "/v1/messages", null, msg("+33612000001", null)).status());
        Http.Response wrong = call("POST", "/v1/messages", "nope-nope-nope-nope", msg("+33612000001", null));
        assertEquals(401, wrong.status());
        assertEquals("unauthorized", wrong.body().get("error").asText());
        assertEquals(200, call("GET", "/health", null, null).status(), "health needs no key");

        Http.Response a = call("POST", "/v1/messages", ACME, msg("+33612000001", "order-1"));
        assertEquals(202, a.status());
        String id = a.body().get("id").asText();
        assertEquals(200, call("GET", "/v1/messages/" + id, ACME, null).status());
        assertEquals(404, call("GET", "/v1/messages/" + id, BETA, null).status(), "another client's message does not exist for it");
        assertEquals(id, call("GET", "/v1/messages?client_ref=order-1", ACME, null).body().get("id").asText());
        assertEquals(404, call("GET", "/v1/messages?client_ref=order-1", BETA, null).status());

        // client_ref is per client: the same key from another client is another message
        Http.Response b = call("POST", "/v1/messages", BETA, msg("+33612000001", "order-1"));
        assertEquals(202, b.status());
        assertNotEquals(id, b.body().get("id").asText());
        assertEquals("acme", gw.store().find(id).orElseThrow().message().client());

        // the same client_ref for another message: refused, naming the one it names; the same message again: the same id
        Http.Response again = call("POST", "/v1/messages", ACME, msg("+33612000001", "order-1"));
        assertEquals(200, again.status());
        assertEquals(id, again.body().get("id").asText());
        Http.Response conflict = call("POST", "/v1/messages", ACME, msg("+33612000002", "order-1"));
        assertEquals(409, conflict.status(), conflict.body().toString());
        assertEquals("client_ref_conflict", conflict.body().get("error").asText());
        assertEquals(id, conflict.body().get("existing_id").asText());
        assertTrue(conflict.body().get("message").asText().contains(id));
    }

    @Test
    void batchAnswersEachItemInOrderAndStoresOnlyTheValidOnes() throws Exception {
        Http.Response r = call("POST", "/v1/messages/batch", ACME, "{\"messages\":["
                + msg("+33612000010", null) + ","
                + "{\"to\":\"12\",\"from\":\"ACME\",\"text\":\"x\"},"
                + "{\"to\":\"+33612000012\",\"from\":\"ACME\",\"txt\":\"x\"},"
                + msg("+33612000013", "b-4") + "]}");
        assertEquals(200, r.status(), r.body()::toString);
        JsonNode results = r.body().get("results");
        assertEquals(4, results.size());
        assertTrue(results.get(0).has("id"));
        assertEquals("messages[1].to", results.get(1).get("field").asText());
        assertEquals("messages[2].txt", results.get(2).get("field").asText());
        assertEquals("ACCEPTED", results.get(3).get("state").asText());
        assertEquals(2, r.body().get("accepted").asInt());
        assertEquals(2, r.body().get("rejected").asInt());
        assertEquals("+33612000013", gw.store().find(results.get(3).get("id").asText()).orElseThrow().message().to());

        String tooMany = "{\"messages\":[" + String.join(",", java.util.Collections.nCopies(11, msg("+33612000014", null))) + "]}";
        Http.Response big = call("POST", "/v1/messages/batch", ACME, tooMany);
        assertEquals(400, big.status());
        assertEquals("messages", big.body().get("field").asText());
        assertEquals(400, call("POST", "/v1/messages/batch", ACME, "{\"messages\":[]}").status());
    }

    @Test
    void aClientOverItsRateGets429ForWhatItCannotSend() throws Exception {
        // tps 1: never more than one token saved up, so of three at once exactly one goes through
        Http.Response r = call("POST", "/v1/messages/batch", SLOW, "{\"messages\":["
                + msg("+33612000020", null) + "," + msg("+33612000021", null) + "," + msg("+33612000022", null) + "]}");
        assertEquals(1, r.body().get("accepted").asInt(), r.body()::toString);
        assertEquals("rate_limited", r.body().get("results").get(2).get("error").asText());
    }
}
