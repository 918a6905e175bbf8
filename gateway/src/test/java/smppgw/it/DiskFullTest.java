package smppgw.it;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;
import smppgw.testing.RawSmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Disk space running out under the memory-mapped store: intake refuses (503 disk_full, ESME_RSYSERR)
 * before anything is written, what was accepted is untouched, and everything resumes when space returns.
 */
class DiskFullTest {
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw, sim);
    }

    @Test
    void lowDiskRefusesIntakeKeepsWhatWasAcceptedAndRecovers() throws Exception {
        AtomicLong free = new AtomicLong(10L << 30);
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int http = Ports.free();
        int smpp = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + http + "}\nstore: {min-free-disk-mb: 100}\n"
                + "smpp-server: {listen: 127.0.0.1:" + smpp + "}\n"
                + "clients:\n  - {name: acme, api-key: acme-key-0123456789, system-id: acme, password: pw}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 10);
        gw = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC(), free::get);
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(post(http, "+3361200000" + i).body().get("id").asText());
        }

        free.set(50L << 20); // 50 MB left: below the 100 MB floor
        Await.until(Duration.ofSeconds(5), () -> gw.health().detail().get("store").asText().equals("disk_low"), () -> "not noticed");
        Http.Response refused = post(http, "+33612000009");
        assertEquals(503, refused.status());
        assertEquals("disk_full", refused.body().get("error").asText());
        try (RawSmpp raw = new RawSmpp(smpp)) {
            assertEquals(SmppConstants.STATUS_OK, raw.bind("acme", "pw"));
            SubmitSm sm = new SubmitSm();
            sm.setSequenceNumber(2);
            sm.setSourceAddress(new Address((byte) 5, (byte) 0, "ACME"));
            sm.setDestAddress(new Address((byte) 1, (byte) 1, "33612000010"));
            sm.setShortMessage("x".getBytes(StandardCharsets.ISO_8859_1));
            raw.send(sm);
            Pdu r = raw.read();
            while (r instanceof com.cloudhopper.smpp.pdu.DeliverSm d) {
                raw.send(d.createResponse());
                r = raw.read();
            }
            assertEquals(SmppConstants.STATUS_SYSERR, r.getCommandStatus());
        }
        // what was accepted before is all there
        Await.until(Duration.ofSeconds(10), () -> before.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> "earlier messages not delivered");

        free.set(10L << 30); // space is back
        Await.until(Duration.ofSeconds(5), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http.Response again = post(http, "+33612000011");
        assertEquals(202, again.status());
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(again.body().get("id").asText()).orElseThrow().state() == MessageState.DELIVERED,
                () -> "not delivered after recovery");
        assertEquals(6, sim.stats().submits.get(), "the refused ones were never stored nor sent");
    }

    private static Http.Response post(int port, String to) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                + "/v1/messages")).header("Authorization", "Bearer acme-key-0123456789").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"to\":\"" + to + "\",\"from\":\"ACME\",\"text\":\"x\"}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), Http.JSON.readTree(r.body()));
    }
}
