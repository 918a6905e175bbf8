package smppgw.it;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.Pdu;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Ports;
import smppgw.testing.RawSmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random and malformed input on both integrator ports: every case answered, nothing crashes, sessions go on. */
class FuzzTest {
    private static final long SEED = 20261122L;
    @TempDir
    static Path dir;
    static SmscSimulator sim;
    static Gateway gw;
    static int httpPort;
    static int smppPort;

    @BeforeAll
    static void start() {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        httpPort = Ports.free();
        smppPort = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "smpp-server: {listen: 127.0.0.1:" + smppPort + "}\n"
                + "clients:\n  - {name: fuzz, api-key: fuzz-key-0123456789, system-id: fuzz, password: pw, max-binds: 10}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 20);
        gw = Gateway.start(GatewayConfig.parse("fuzz", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        sim.close();
    }

    @Test
    void smppServerAnswersThousandsOfRandomPdusAndTheSessionSurvives() throws Exception {
        Random r = new Random(SEED);
        int[] commands = {0x00000004, 0x00000009, 0x00000002, 0x00000015, 0x00000003, 0x00000008, 0x00000103, 0x00000021,
                0x80000004, 0x00000099, 0x7FFFFFFF, 0x00000000};
        java.util.Set<Integer> waiting = new java.util.HashSet<>();
        java.util.Set<Integer> strayResponses = new java.util.HashSet<>();
        int answered = 0;
        try (RawSmpp raw = new RawSmpp(smppPort)) {
            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("fuzz");
            bind.setPassword("pw");
            bind.setSequenceNumber(1);
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_OK, raw.read().getCommandStatus());
            for (int i = 0; i < 3000; i++) {
                int command = commands[r.nextInt(commands.length)];
                byte[] body = new byte[r.nextInt(120)];
                r.nextBytes(body);
                int seq = 1000 + i;
                ByteBuffer b = ByteBuffer.allocate(16 + body.length).putInt(16 + body.length).putInt(command).putInt(0).putInt(seq).put(body);
                raw.sendRaw(b.array());
                if ((command & 0x80000000) != 0) {
                    strayResponses.add(seq); // a response nobody asked for: ignored, or generic_nack if it cannot be decoded
                    continue;
                }
                waiting.add(seq);
                while (waiting.contains(seq)) { // answers may come out of order (a stored submit is answered later)
                    Pdu answer = raw.readAnswer();
                    assertTrue((answer.getCommandId() & 0x80000000) != 0, "answered with a response or generic_nack");
                    if (strayResponses.remove(answer.getSequenceNumber())) {
                        assertEquals(SmppConstants.CMD_ID_GENERIC_NACK, answer.getCommandId(), "a stray response only ever gets generic_nack");
                        continue;
                    }
                    assertTrue(waiting.remove(answer.getSequenceNumber()), "case " + i + ": an answer to something asked: " + answer);
                    answered++;
                }
            }
            assertTrue(waiting.isEmpty(), "unanswered: " + waiting);
            EnquireLink el = new EnquireLink();
            el.setSequenceNumber(99);
            raw.send(el);
            assertEquals(SmppConstants.CMD_ID_ENQUIRE_LINK_RESP, raw.readAnswer().getCommandId(), "the session still answers");
        }
        assertTrue(answered > 2500, "answered " + answered);
        assertTrue(gw.health().ok(), "the gateway serves on");
    }

    @Test
    void brokenFramingIsAnsweredAndClosedAndTheServerServesTheNextClient() throws Exception {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), smppPort)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                byte[] junk = new byte[16 + r.nextInt(64)];
                r.nextBytes(junk);
                ByteBuffer.wrap(junk).putInt(r.nextBoolean() ? 4 : 0x7FFFFFF0); // impossible command_length
                out.write(junk);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] answer = in.readNBytes(16);
                assertEquals(16, answer.length, "case " + i + ": a generic_nack before the close");
                assertEquals(SmppConstants.CMD_ID_GENERIC_NACK, ByteBuffer.wrap(answer).getInt(4));
            }
        }
        try (RawSmpp raw = new RawSmpp(smppPort)) { // and the next client is served
            EnquireLink el = new EnquireLink();
            el.setSequenceNumber(5);
            raw.send(el);
            assertEquals(SmppConstants.CMD_ID_ENQUIRE_LINK_RESP, raw.read().getCommandId());
        }
    }

    @Test
    void httpApiAnswersThousandsOfRandomRequestsWithoutA5xx() throws Exception {
        Random r = new Random(SEED + 2);
        HttpClient http = HttpClient.newHttpClient();
        String[] paths = {"/v1/messages", "/v1/messages/batch", "/v1/messages/preview", "/v1/messages/", "/v1/messages/%00",
                "/v1/messages?client_ref=", "/health", "/metrics", "/admin/status", "/v2", "/", "/v1/messages/01M81ZQBK84ZF8TZ24HRNS3PXS"};
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
        String[] fragments = {"{", "}", "[", "]", "\"to\"", "\"from\"", "\"text\"", "\"messages\"", ":", ",", "null", "1e999", "-1",
                "\"+33612345678\"", "\"ACME\"", "\"\\u0000\"", "\"😀\"", "true", "\"validity\"", "\"encoding\"", "\"client_ref\""};
        int counted = 0;
        for (int i = 0; i < 3000; i++) {
            StringBuilder body = new StringBuilder();
            int n = r.nextInt(30);
            for (int k = 0; k < n; k++) {
                body.append(fragments[r.nextInt(fragments.length)]);
            }
            String method = methods[r.nextInt(methods.length)];
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + paths[r.nextInt(paths.length)]))
                    .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
            if (r.nextInt(4) > 0) {
                b.header("Authorization", "Bearer fuzz-key-0123456789");
            }
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(resp.statusCode() < 500 || resp.statusCode() == 503, "case " + i + ": " + method + " " + body + " -> " + resp.statusCode()
                    + " " + resp.body());
            counted++;
        }
        assertEquals(3000, counted);
        assertTrue(gw.health().ok());
    }
}
