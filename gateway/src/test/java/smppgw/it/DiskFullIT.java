package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.Ports;
import smppgw.testing.Tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's bad day from the issue, as operators run the gateway ({@code bin/smppgw run}): its data directory on
 * a 64 MiB tmpfs, 600 messages accepted with receipts still owed (they come 6 s after each submit), the disk filled to
 * the last byte, then freed. Nothing is torn, the gateway serves again without a restart, and after a kill -9 too.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DiskFullIT {
    @TempDir
    Path dir;
    private Tmpfs disk;
    private SmscSimulator sim;
    private GatewayProcess gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void receiptsOwedWhileTheDiskIsFullArriveAfterItAndNothingIsCorrupt() throws Exception {
        disk = Tmpfs.mount(dir.resolve("disk"), 64);
        int smsc = Ports.free();
        int httpPort = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 6s\n  receipt-tlvs: false\n  mo-reply: MERCI\n")).startUnchecked();
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "data-dir: " + disk.dir().resolve("data") + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "store: {min-free-disk-mb: 4}\nlog: {state-changes: false}\n"
                + "operators:\n" + Configs.operator("only", null, true, smsc, 1, 100));
        Http http = new Http(httpPort);
        gw = GatewayProcess.start(config, dir.resolve("gateway.log"));
        gw.awaitHealthy(http, Duration.ofSeconds(60));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+3361" + String.format("%07d", i) + "\",\"from\":\"36111\",\"text\":\"Bonjour\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        disk.fill();
        assertTrue(disk.free() < 4096, "full");
        Await.until(Duration.ofSeconds(10), () -> http.get("/health").status() == 503, () -> "health still ok");
        Http.Response refused = http.post("/v1/messages", "{\"to\":\"+33612999999\",\"from\":\"36111\",\"text\":\"x\"}");
        assertEquals(503, refused.status(), refused.body()::toString);
        assertEquals("disk_full", refused.body().get("error").asText());
        long refusedBefore = sim.stats().receiptsRefused.get();
        Await.until(Duration.ofSeconds(20), () -> sim.stats().receiptsRefused.get() > refusedBefore, () -> "no receipt came while full");
        disk.release();
        gw.awaitHealthy(http, Duration.ofSeconds(30)); // no restart
        assertEquals(202, http.post("/v1/messages", "{\"to\":\"+33612999998\",\"from\":\"36111\",\"text\":\"x\"}").status());
        awaitDelivered(http, ids);

        gw.kill(); // and after a restart all is still there, readable
        gw = GatewayProcess.start(config, dir.resolve("gateway-2.log"));
        gw.awaitHealthy(http, Duration.ofSeconds(60));
        awaitDelivered(http, ids);
        assertFalse(gw.logText().contains("cannot be read"), "no torn record:\n" + gw.logText());
    }

    private static void awaitDelivered(Http http, List<String> ids) {
        Await.until(Duration.ofSeconds(90), () -> ids.stream().allMatch(id -> {
            Http.Response r = http.get("/v1/messages/" + id);
            return r.status() == 200 && r.body().get("events").toString().contains("\"stat\":\"DELIVRD\"");
        }), () -> "not every message has its DELIVRD receipt");
    }
}
