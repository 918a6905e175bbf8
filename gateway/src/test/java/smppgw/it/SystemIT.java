package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import smppgw.testing.Await;
import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/smppgw run} as a process on free ports, spoken to over HTTP only. */
class SystemIT {
    @TempDir
    Path dir;

    @Test
    void launcherRunsTheGatewayWithItsEmbeddedSimulatorAndStopsCleanly() throws Exception {
        int http = Ports.free();
        int smsc = Ports.free();
        Path home = Path.of(System.getProperty("smppgw.home", "..")).toAbsolutePath();
        String shipped = Files.readString(home.resolve("config/gateway.yaml"));
        Path config = dir.resolve("gateway.yaml");
        assertTrue(shipped.contains("state-changes: false"), "the per-message log line is off in the shipped configuration");
        Files.writeString(config, shipped.replace("127.0.0.1:8080", "127.0.0.1:" + http).replace("2775", String.valueOf(smsc))
                .replace("state-changes: false", "state-changes: true")); // on here: numbers in it must be masked
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        try (GatewayProcess gw = GatewayProcess.start(config, dir.resolve("gateway.log"))) {
            Http api = new Http(http);
            gw.awaitHealthy(api, Duration.ofSeconds(60));

            Http.Response accepted = api.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"Bonjour\"}");
            assertEquals(202, accepted.status(), accepted.body()::toString);
            String id = accepted.body().get("id").asText();
            Await.until(Duration.ofSeconds(20), () -> "DELIVERED".equals(api.get("/v1/messages/" + id).body().get("state").asText()),
                    () -> api.get("/v1/messages/" + id).body().toString());
            JsonNode view = api.get("/v1/messages/" + id).body();
            assertEquals("sim", view.get("operator").asText());
            assertFalse(view.get("smsc_ids").get(0).asText().isEmpty());
            assertEquals(3, view.get("events").size(), view::toString);

            assertEquals(200, api.get("/health").status());
            if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").matches("amd64|aarch64")) {
                // the packaged jar's native epoll library loads as operators run it (Netty falls back to NIO silently)
                assertTrue(gw.logText().matches("(?s).*HTTP API listening on \\S+ \\(epoll\\).*"), gw::logText);
            }
            assertEquals(401, api.get("/admin/status").status(), "the admin API needs its key");
            Http admin = Http.admin(dir.resolve("data"), http);
            assertEquals(400, api.post("/v1/messages", "{\"to\":\"nope\",\"from\":\"ACME\",\"text\":\"x\"}").status());

            // SIGHUP: a third bind comes up beside the two that stay; an invalid file is refused and changes nothing
            String running = Files.readString(config);
            Files.writeString(config, running.replace("count: 2", "count: 3"));
            gw.hangup();
            Await.until(Duration.ofSeconds(20), () -> admin.get("/admin/status").body().at("/operators/sim/binds_up").asInt() == 3,
                    () -> admin.get("/admin/status").body() + "\n" + gw.logText());
            Files.writeString(config, running.replace("count: 2", "count: many"));
            gw.hangup();
            Await.until(Duration.ofSeconds(20), () -> gw.logText().contains("reload refused"), gw::logText);
            assertEquals(3, admin.get("/admin/status").body().at("/operators/sim/binds").asInt());
            assertEquals(202, api.post("/v1/messages", "{\"to\":\"+33612345679\",\"from\":\"+33698765432\",\"text\":\"x\"}").status());

            assertEquals(0, gw.terminate(Duration.ofSeconds(30)), "SIGTERM stops cleanly with exit code 0:\n" + gw.logText());
            // what it wrote holds numbers and texts: its user and group only, whatever the umask it was started with
            assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
            try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("data"))) {
                List<String> open = files.filter(p -> {
                    try {
                        return Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                    } catch (java.io.IOException e) {
                        return false; // gone meanwhile
                    }
                }).map(Path::toString).toList();
                assertEquals(List.of(), open, "readable by every user of the host");
            }
            assertTrue(gw.logText().contains("is readable by every user of this host"), "the 0644 configuration is warned about");
            assertTrue(gw.logText().contains("smppgw stopped"), gw.logText());
            assertTrue(gw.logText().contains("[to:+3361234****]"), "numbers are masked in the state log");
            assertTrue(gw.logText().contains("[from:+3369876****]") && !gw.logText().contains("98765432"),
                    "a sender that is a number is masked too");
        }
    }
}
