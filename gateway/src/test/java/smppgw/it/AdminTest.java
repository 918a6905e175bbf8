package smppgw.it;

import org.junit.jupiter.api.AfterEach;
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
import java.util.List;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API: status, pause / resume / drain an operator, a message by id; guarded by admin.api-key. */
class AdminTest {
    private static final String ADMIN = "admin-key-0123456789";
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw, sim);
    }

    private static Http.Response call(int port, String method, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), Http.JSON.readTree(r.body()));
    }

    @Test
    void pauseHoldsTheBacklogDrainRefusesNewMessagesResumeSendsThemAll() throws Exception {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int port = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + port + "}\nadmin: {api-key: " + ADMIN + "}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 10);
        gw = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(port);

        assertEquals(401, call(port, "GET", "/admin/status", null).status());
        assertEquals(401, call(port, "GET", "/admin/status", "wrong-key-0123456789").status());
        assertEquals(200, call(port, "POST", "/admin/operators/fr/pause", ADMIN).status());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(http.post("/v1/messages", "{\"to\":\"+3361200000" + i + "\",\"from\":\"ACME\",\"text\":\"x\"}").body().get("id").asText());
        }
        Http.Response status = call(port, "GET", "/admin/status", ADMIN);
        assertTrue(status.body().at("/operators/fr/paused").asBoolean());
        assertEquals(3, status.body().at("/operators/fr/backlog").asLong(), "paused: nothing read from the queue");
        assertTrue(ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.ACCEPTED));

        assertEquals(200, call(port, "POST", "/admin/operators/fr/drain", ADMIN).status());
        Http.Response refused = http.post("/v1/messages", "{\"to\":\"+33612000009\",\"from\":\"ACME\",\"text\":\"x\"}");
        assertEquals(503, refused.status());
        assertEquals("draining", refused.body().get("error").asText());
        Await.until(Duration.ofSeconds(10), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> "a draining operator still sends its backlog");

        assertEquals(200, call(port, "POST", "/admin/operators/fr/resume", ADMIN).status());
        assertEquals(202, http.post("/v1/messages", "{\"to\":\"+33612000009\",\"from\":\"ACME\",\"text\":\"x\"}").status());
        assertEquals("DELIVERED", call(port, "GET", "/admin/messages/" + ids.get(0), ADMIN).body().get("state").asText());
        assertEquals(404, call(port, "POST", "/admin/operators/nosuch/pause", ADMIN).status());
    }
}
