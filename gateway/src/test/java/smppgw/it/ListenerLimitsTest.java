package smppgw.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connections that hold a listener without using it: a request trickled a header line at a time, connections left
 * idle, more connections from one address than allowed, a PDU that never finishes. Each is closed (with a 408 or a
 * 503 where HTTP can say so), and an ordinary client is served all along.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ListenerLimitsTest {
    @TempDir
    static Path dir;
    static SmscSimulator sim;
    static Gateway gw;
    static int http;
    static int smpp;

    @BeforeAll
    static void start() {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        http = Ports.free();
        smpp = Ports.free();
        String yaml = "data-dir: " + dir + "\n"
                + "http: {listen: 127.0.0.1:" + http + ", request-timeout: 1s, idle-timeout: 2s, max-connections-per-ip: 20}\n"
                + "smpp-server: {listen: 127.0.0.1:" + smpp + ", frame-timeout: 1s, max-connections-per-ip: 3}\n"
                + "clients:\n  - {name: acme, api-key: acme-key-0123456789, system-id: acme, password: pw}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 50);
        gw = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        sim.close();
    }

    private static void send(Http client) {
        Http.Response r = client.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\"}");
        assertEquals(202, r.status(), r.body()::toString);
    }

    @Test
    void aRequestTrickledALineAtATimeGets408AndTheConnectionCloses() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), http);
            s.getOutputStream().write("POST /v1/messages HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.add(s);
        }
        long t0 = System.nanoTime();
        Http client = new Http(http).withKey("acme-key-0123456789");
        for (int round = 0; round < 3; round++) { // a header line every 300 ms: never idle, never done
            for (Socket s : slow) {
                try {
                    s.getOutputStream().write(("X-Slow-" + round + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // already answered and closed
                }
            }
            send(client); // everyone else is served meanwhile
            Thread.sleep(300); // the slow client's pace, not a wait for the server
        }
        for (Socket s : slow) {
            s.setSoTimeout(10_000);
            String answer = readAll(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"error\":\"request_timeout\""), answer);
            s.close();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < 8_000, "closed within a few seconds of the 1 s request-timeout: " + ms + " ms");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http)) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed by the server, nothing said");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 1_500 && ms < 8_000, "after the 2 s idle-timeout: " + ms + " ms");
        }
    }

    @Test
    void connectionsOverThePerAddressCapGet503AndOthersAreServedOnceOnesClose() throws Exception {
        Await.until(Duration.ofSeconds(10), () -> gw.httpConnections() == 0, () -> gw.httpConnections() + " still open from other tests");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            held.add(new Socket(InetAddress.getLoopbackAddress(), http));
        }
        Await.until(Duration.ofSeconds(5), () -> gw.httpConnections() == 20, () -> gw.httpConnections() + " open");
        try (Socket over = new Socket(InetAddress.getLoopbackAddress(), http)) {
            over.setSoTimeout(10_000);
            String answer = readAll(over.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
            assertTrue(answer.contains("\"error\":\"too_many_connections\""), answer);
        }
        held.remove(0).close();
        Await.until(Duration.ofSeconds(5), () -> gw.httpConnections() == 19, () -> gw.httpConnections() + " open");
        send(new Http(http).withKey("acme-key-0123456789"));
        for (Socket s : held) {
            s.close();
        }
        assertTrue(new String(gw.metrics().scrape(), StandardCharsets.UTF_8).contains("smppgw_connections_refused_total{listener=\"http\"} 1.0"));
    }

    @Test
    void aPduThatNeverFinishesClosesTheSmppConnectionAndTheCapRefusesTheFourth() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), smpp)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0, 0, 0, 40, 0, 0, 0, 9, 0, 0}); // a bind_transceiver's first 10 of 40 bytes
            out.flush();
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 700 && ms < 8_000, "closed after the 1 s frame-timeout: " + ms + " ms");
        }
        Await.until(Duration.ofSeconds(5), () -> gw.smppServer().openConnections() == 0, () -> "still open");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(new Socket(InetAddress.getLoopbackAddress(), smpp));
        }
        Await.until(Duration.ofSeconds(5), () -> gw.smppServer().openConnections() == 3, () -> gw.smppServer().openConnections() + " open");
        try (Socket fourth = new Socket(InetAddress.getLoopbackAddress(), smpp)) {
            fourth.setSoTimeout(10_000);
            assertEquals(-1, fourth.getInputStream().read(), "refused: closed at once");
        }
        for (Socket s : held) {
            s.close();
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
