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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET")) {
            b.header("Content-Type", "application/json");
        }
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

    /** A raw HTTP/1.1 request (the JDK client will not send a Host of our choosing): the status code. */
    private static int raw(int port, String method, String path, String headers) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            String body = method.equals("GET") ? "" : "{}";
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void withoutAConfiguredKeyTheTokenInTheDataDirectoryIsNeededAndPagesInABrowserAreKeptOut() throws Exception {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int port = Ports.free();
        Path file = dir.resolve("gateway.yaml");
        java.nio.file.Files.writeString(file, "data-dir: " + dir.resolve("data") + "\nhttp: {listen: 127.0.0.1:" + port + "}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 10));
        gw = Gateway.start(GatewayConfig.load(file), Clock.systemUTC());
        Path tokenFile = Gateway.adminTokenFile(dir.resolve("data"));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(tokenFile)),
                "owner and group (smppgw) only");
        String token = Http.adminToken(dir.resolve("data"));
        String auth = "Authorization: Bearer " + token + "\r\n";

        assertEquals(401, raw(port, "GET", "/admin/status", "Host: 127.0.0.1:" + port + "\r\n"), "loopback alone is not enough any more");
        assertEquals(401, raw(port, "GET", "/admin/status", "Host: 127.0.0.1\r\nAuthorization: Bearer wrong\r\n"));
        assertEquals(200, raw(port, "GET", "/admin/status", "Host: 127.0.0.1:" + port + "\r\n" + auth));
        assertEquals(200, raw(port, "GET", "/admin/status", "Host: localhost:" + port + "\r\n" + auth));
        assertEquals(403, raw(port, "GET", "/admin/status", "Host: evil.example\r\n" + auth), "DNS rebinding: a name that is not ours");
        assertEquals(403, raw(port, "POST", "/admin/operators/fr/pause", "Host: 127.0.0.1:" + port + "\r\nOrigin: http://evil.example\r\n"
                + auth + "Content-Type: application/json\r\n"), "another site's page");
        assertEquals(415, raw(port, "POST", "/admin/operators/fr/pause", "Host: 127.0.0.1:" + port + "\r\n" + auth
                + "Content-Type: text/plain\r\n"), "what a cross-site form can send");
        assertEquals(200, raw(port, "POST", "/admin/operators/fr/pause", "Host: 127.0.0.1:" + port + "\r\nOrigin: http://127.0.0.1:" + port
                + "\r\n" + auth + "Content-Type: application/json\r\n"));
        assertTrue(gw.status().at("/operators/fr/paused").asBoolean());

        // the CLI finds the token through the configuration's data directory
        java.util.Map.Entry<Integer, String> resume = smppgw.testing.Cli.run("resume", "fr", "--config", file.toString());
        assertEquals(0, resume.getKey(), resume.getValue());
        assertTrue(!gw.status().at("/operators/fr/paused").asBoolean());
        java.util.Map.Entry<Integer, String> refused = smppgw.testing.Cli.run("status", "--url", "http://127.0.0.1:" + port,
                "--config", dir.resolve("nothing.yaml").toString());
        assertEquals(1, refused.getKey(), "no configuration, no key: " + refused.getValue());
        assertTrue(refused.getValue().contains("401"), refused.getValue());
    }
}
