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

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.testing.Closer;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may scrape /metrics: metrics.api-key, metrics.listen (an address of its own), else loopback peers of the API port. */
class MetricsAccessTest {
    private static final String KEY = "scrape-key-0123456789";
    @TempDir
    Path dir;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw);
    }

    private Gateway start(String metrics, int httpPort) {
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n" + metrics
                + "operators: [{name: x, default: true, binds: [{host: 127.0.0.1, port: " + Ports.free() + ", system-id: x}]}]\n";
        return Gateway.start(GatewayConfig.parse("metrics-test", yaml, dir), Clock.systemUTC());
    }

    private static HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMetricsKeyIsRequiredWhenConfigured() throws Exception {
        int port = Ports.free();
        gw = start("metrics: {api-key: " + KEY + "}\n", port);
        HttpResponse<String> none = get(port, "/metrics", null);
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("metrics.api-key"), none.body());
        assertEquals(401, get(port, "/metrics", "wrong-key-0123456789").statusCode());
        HttpResponse<String> ok = get(port, "/metrics", KEY);
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("smppgw_binds_up"), ok.body());
    }

    @Test
    void metricsListenServesOnlyMetricsAndTheApiPortNoLonger() throws Exception {
        int port = Ports.free();
        int metricsPort = Ports.free();
        gw = start("metrics: {listen: 127.0.0.1:" + metricsPort + ", api-key: " + KEY + "}\n", port);
        assertEquals(404, get(port, "/metrics", KEY).statusCode(), "not on the API port");
        int health = get(port, "/health", null).statusCode();
        assertTrue(health == 200 || health == 503, "the API port still answers /health: " + health); // 503: no SMSC in this test
        assertEquals(401, get(metricsPort, "/metrics", null).statusCode());
        HttpResponse<String> ok = get(metricsPort, "/metrics", KEY);
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("smppgw_binds_up"), ok.body());
        assertEquals(404, get(metricsPort, "/v1/messages", KEY).statusCode(), "nothing but /metrics there");
        assertEquals(404, get(metricsPort, "/admin/status", KEY).statusCode());
    }
}
