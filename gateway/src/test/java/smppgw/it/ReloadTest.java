package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import smppgw.config.ConfigException;
import smppgw.config.GatewayConfig;
import smppgw.config.ReloadRefusedException;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.BindSession;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Cli;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reloading the configuration into a running gateway (SIGHUP, {@code smppgw reload}, {@code POST /admin/reload}):
 * bind counts, rates, routes and clients change in place; binds that stay are not dropped; nothing in
 * flight is lost or sent twice; an invalid file or one that needs a restart changes nothing.
 */
class ReloadTest {
    private static final String KEY_A = "key-a-0123456789abcdef";
    private static final String KEY_B = "key-b-0123456789abcdef";
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;
    private int smsc;
    private int httpPort;
    private Path file;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw, sim);
    }

    /** Operator fr (default, 33 6) and de (49), fr with {@code count} binds at {@code tps}; client acme with {@code key}. */
    private String yaml(int count, int tps, String dePrefixes, String key, String extraClient) {
        return "data-dir: " + dir.resolve("data") + "\n"
                + "http: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "log: {state-changes: false}\n"
                + "operators:\n"
                + "  - name: fr\n    default: true\n    prefixes: [\"+336\"]\n    tps: " + tps + "\n"
                + "    retry: {max-attempts: 20, min-backoff: 50ms, max-backoff: 500ms}\n"
                + "    binds:\n      - {host: 127.0.0.1, port: " + smsc + ", system-id: gw, password: pw, count: " + count
                + ", window: 10, response-timeout: 2s, enquire-link-interval: 5s, reconnect-min: 50ms, reconnect-max: 500ms}\n"
                + "  - name: de\n    prefixes: " + dePrefixes + "\n"
                + "    binds:\n      - {host: 127.0.0.1, port: " + smsc + ", system-id: gw, password: pw, count: 1, window: 10,"
                + " response-timeout: 2s, enquire-link-interval: 5s}\n"
                + "clients:\n  - {name: acme, api-key: " + key + "}\n" + extraClient;
    }

    private void start(String yaml) throws Exception {
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        Files.writeString(file, yaml);
        gw = Gateway.start(GatewayConfig.load(file), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    private List<String> reload(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return gw.reload();
    }

    private void setUp() {
        smsc = Ports.free();
        httpPort = Ports.free();
        file = dir.resolve("gateway.yaml");
    }

    @Test
    void bindCountsAndRatesChangeInPlaceWithoutDroppingTheBindsThatStayNorLosingOrRepeatingAMessage() throws Exception {
        setUp();
        start(yaml(2, 0, "[\"+49\"]", KEY_A, ""));
        List<BindSession> original = gw.pool().binds("fr").sessions();
        assertEquals(2, original.size());

        Http http = new Http(httpPort).withKey(KEY_A);
        List<String> ids = new ArrayList<>();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            for (int batch = 0; batch < 30; batch++) {
                StringBuilder b = new StringBuilder("{\"messages\":[");
                for (int i = 0; i < 100; i++) {
                    b.append(i == 0 ? "" : ",").append("{\"to\":\"+3361").append(String.format("%07d", batch * 100 + i))
                            .append("\",\"from\":\"ACME\",\"text\":\"reload\"}");
                }
                Http.Response r = http.post("/v1/messages/batch", b.append("]}").toString());
                r.body().get("results").forEach(x -> {
                    synchronized (ids) {
                        ids.add(x.get("id").asText());
                    }
                });
            }
        });

        List<String> applied = reload(yaml(4, 500, "[\"+49\"]", KEY_A, ""));
        assertTrue(applied.contains("operators[fr].tps") && applied.contains("operators[fr].binds"), applied.toString());
        List<BindSession> grown = gw.pool().binds("fr").sessions();
        assertEquals(4, grown.size());
        assertSame(original.get(0), grown.get(0), "a bind that stays is the same session");
        assertSame(original.get(1), grown.get(1));
        Await.until(Duration.ofSeconds(10), () -> grown.stream().allMatch(BindSession::isBound), () -> "new binds not up: " + grown);
        Await.until(Duration.ofSeconds(5), () -> gw.dispatcher("fr").effectiveTps() == 500,
                () -> "effective tps " + gw.dispatcher("fr").effectiveTps());

        reload(yaml(1, 0, "[\"+49\"]", KEY_A, ""));
        List<BindSession> shrunk = gw.pool().binds("fr").sessions();
        assertEquals(List.of(original.get(0)), shrunk, "shrinking keeps the oldest bind");
        load.get();
        // the retired binds unbind once their windows are empty: fr 1 + de 1 sessions left at the SMSC
        Await.until(Duration.ofSeconds(10), () -> sim.sessionCount() == 2, () -> "SMSC sessions: " + sim.sessionCount());
        Await.until(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> state(id) == MessageState.DELIVERED),
                () -> ids.stream().filter(id -> state(id) != MessageState.DELIVERED).count() + " of " + ids.size() + " not delivered: "
                        + ids.stream().collect(java.util.stream.Collectors.groupingBy(this::state, java.util.stream.Collectors.counting()))
                        + ", SMSC submits " + sim.stats().submits.get() + ", backlog " + gw.dispatcher("fr").backlog());
        assertEquals(3000, ids.size());
        assertEquals(3000, sim.stats().submits.get(), "every message submitted exactly once across the bind changes");
        assertEquals(1, original.get(0).bindCount(), "the bind that stayed was never dropped");
        assertEquals(1, original.get(1).bindCount());
        assertEquals(0, gw.dispatcher("fr").effectiveTps(), "tps back to unlimited");
    }

    @Test
    void routesAndClientsChangeForTheNextRequest() throws Exception {
        setUp();
        start(yaml(1, 0, "[\"+49\"]", KEY_A, ""));
        Http a = new Http(httpPort).withKey(KEY_A);
        Http b = new Http(httpPort).withKey(KEY_B);
        assertEquals("de", a.post("/v1/messages", "{\"to\":\"+4915100000001\",\"from\":\"ACME\",\"text\":\"x\"}").body().get("operator").asText());
        assertEquals("fr", a.post("/v1/messages", "{\"to\":\"+4420000000001\",\"from\":\"ACME\",\"text\":\"x\"}").body().get("operator").asText(),
                "unmatched numbers go to the default operator");
        assertEquals(401, b.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\"}").status());

        List<String> applied = reload(yaml(1, 0, "[\"+49\", \"+44\"]", KEY_B, "  - {name: beta, api-key: other-key-0123456789, tps: 5}\n"));
        assertTrue(applied.containsAll(List.of("operators[de].prefixes", "clients[acme].api-key", "clients[beta] added")), applied.toString());
        assertEquals("de", b.post("/v1/messages", "{\"to\":\"+4420000000002\",\"from\":\"ACME\",\"text\":\"x\"}").body().get("operator").asText(),
                "the new prefix routes");
        assertEquals(401, a.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\"}").status(), "the old key is gone");
        Http beta = new Http(httpPort).withKey("other-key-0123456789");
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            refused += beta.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\"}").status() == 429 ? 1 : 0;
        }
        assertTrue(refused >= 10, "the added client's tps 5 applies: " + refused + " of 20 refused");
    }

    @Test
    void anInvalidFileOrOneNeedingARestartChangesNothing() throws Exception {
        setUp();
        start(yaml(2, 100, "[\"+49\"]", KEY_A, ""));
        GatewayConfig before = GatewayConfig.load(file);
        List<BindSession> binds = gw.pool().binds("fr").sessions();

        ConfigException bad = assertThrows(ConfigException.class, () -> reload(yaml(2, -5, "[\"+49\"]", KEY_A, "")));
        assertTrue(bad.getMessage().contains("tps"), bad.getMessage());
        assertThrows(ConfigException.class, () -> reload("operators: [unclosed"));

        int otherPort = Ports.free();
        String moved = yaml(3, 50, "[\"+49\"]", KEY_A, "").replace("listen: 127.0.0.1:" + httpPort, "listen: 127.0.0.1:" + otherPort);
        ReloadRefusedException refused = assertThrows(ReloadRefusedException.class, () -> reload(moved));
        assertEquals(List.of("http.listen"), refused.needingRestart());
        String added = yaml(3, 50, "[\"+49\"]", KEY_A, "").replace("  - name: de\n", "  - name: it\n    prefixes: [\"+39\"]\n"
                + "    binds: [{host: 127.0.0.1, port: " + smsc + ", system-id: gw}]\n  - name: de\n");
        assertEquals(List.of("operators[it] added"), assertThrows(ReloadRefusedException.class, () -> reload(added)).needingRestart());
        String webhook = yaml(3, 50, "[\"+49\"]", KEY_A, "  - {name: hook, api-key: other-key-0123456789, webhook-url: \"http://127.0.0.1:9/x\", webhook-secret: secret-0123456789abcdef}\n");
        assertTrue(assertThrows(ReloadRefusedException.class, () -> reload(webhook)).needingRestart().get(0).startsWith("clients[hook]"));

        assertSame(binds, gw.pool().binds("fr").sessions(), "binds untouched");
        assertEquals(100, gw.dispatcher("fr").effectiveTps());
        assertEquals(202, new Http(httpPort).withKey(KEY_A).post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\"}")
                .status(), "still serving on the old configuration");
        Files.writeString(file, yaml(2, 100, "[\"+49\"]", KEY_A, ""));
        assertEquals(List.of(), gw.reload(), "the original file applies cleanly: nothing had changed");
        assertEquals(before, GatewayConfig.load(file));
    }

    @Test
    void theAdminApiAndTheCliReload() throws Exception {
        setUp();
        start(yaml(1, 0, "[\"+49\"]", KEY_A, ""));
        Files.writeString(file, yaml(2, 0, "[\"+49\"]", KEY_A, ""));
        Map.Entry<Integer, String> ok = Cli.run("reload", "--url", "http://127.0.0.1:" + httpPort, "--config", file.toString());
        assertEquals(0, ok.getKey(), ok.getValue());
        assertTrue(ok.getValue().contains("reloaded: operators[fr].binds"), ok.getValue());
        assertEquals(2, gw.pool().binds("fr").sessions().size());

        Files.writeString(file, yaml(2, 0, "[\"+49\"]", KEY_A, "").replace("count: 2", "count: 0"));
        Http.Response invalid = Http.admin(dir.resolve("data"), httpPort).post("/admin/reload", "{}");
        assertEquals(422, invalid.status(), invalid.body().toString());
        assertEquals("invalid_config", invalid.body().get("error").asText());
        assertTrue(invalid.body().get("problems").get(0).asText().contains("count"), invalid.body().toString());
        Map.Entry<Integer, String> refused = Cli.run("reload", "--url", "http://127.0.0.1:" + httpPort, "--config", file.toString());
        assertEquals(1, refused.getKey());
        assertTrue(refused.getValue().contains("422") && refused.getValue().contains("count"), refused.getValue());
        assertEquals(2, gw.pool().binds("fr").sessions().size());
    }

    private MessageState state(String id) {
        return gw.store().find(id).map(v -> v.state()).orElse(null);
    }
}
