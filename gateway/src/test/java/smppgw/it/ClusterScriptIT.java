package smppgw.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import smppgw.testing.Await;
import smppgw.testing.Http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/smppgw-cluster} as a user runs it (README, "Try it"): three Kafka brokers, the simulator and three nodes of
 * a failover group, each its own process; a message taken by a standby, the active node killed with kill -9, another
 * taking over and delivering it, then everything stopped.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterScriptIT {
    @TempDir
    Path dir;

    private static Path home() {
        return Path.of(System.getProperty("smppgw.home", "..")).toAbsolutePath().normalize();
    }

    /** A base port such that each of {@code base + offsets} is free on loopback now. */
    private static int freeBase(int... offsets) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_500);
            boolean free = true;
            for (int o : offsets) {
                try (ServerSocket s = new ServerSocket(base + o, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports");
    }

    private final int httpBase = freeBase(1, 2, 3, 10);
    private final int kafkaBase = freeBase(92, 93, 94, 192, 193, 194);

    /** Runs {@code bin/smppgw-cluster args... dir}: exit code and output. */
    private String[] cluster(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home().resolve("bin/smppgw-cluster").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        String jar = System.getProperty("smppgw.jar");
        if (jar != null) {
            pb.environment().put("SMPPGW_JAR", jar);
        }
        pb.environment().put("CLUSTER_HTTP_BASE", String.valueOf(httpBase));
        pb.environment().put("CLUSTER_SMSC_PORT", String.valueOf(httpBase + 10));
        pb.environment().put("KAFKA_PORT_BASE", String.valueOf(kafkaBase));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "bin/smppgw-cluster " + String.join(" ", args) + " did not end");
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    private String status(Path c) {
        try {
            return cluster("status", c.toString())[1];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node (1-3) the status lines say is active, or 0. */
    private static int active(String status) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^node([123])\\s+active\\s").matcher(status);
        return m.find() ? m.group(1).charAt(0) - '0' : 0;
    }

    @Test
    void upTakeAMessageOnAStandbyKillTheActiveNodeAndAnotherDeliversIt() throws Exception {
        Path c = dir.resolve("cluster");
        try {
            String[] up = cluster("up", c.toString());
            assertEquals("0", up[0], up[1]);
            int first = active(up[1]);
            assertTrue(first > 0, up[1]);
            assertEquals(2, up[1].lines().filter(l -> l.matches("node[123]\\s+standby\\s.*")).count(), up[1]);
            assertTrue(!up[1].contains("\u001b"), "no terminal escapes in what a user reads: " + up[1]);

            int standby = first % 3 + 1;
            Http viaStandby = new Http(httpBase + standby);
            Await.until(Duration.ofSeconds(60), () -> viaStandby.get("/health").status() == 200, () -> "the standby does not forward");
            Http.Response r = viaStandby.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"through a standby\"}");
            assertEquals(202, r.status(), r.body()::toString);
            String id = r.body().get("id").asText();
            Await.until(Duration.ofSeconds(30), () -> viaStandby.delivered(id), () -> "not delivered");

            String[] kill = cluster("kill", String.valueOf(first), c.toString());
            assertEquals("0", kill[0], kill[1]);
            String[] status = new String[1];
            Await.until(Duration.ofSeconds(120), () -> {
                status[0] = status(c);
                return active(status[0]) > 0 && active(status[0]) != first;
            }, () -> "nobody took over: " + status[0]);
            assertTrue(status[0].contains("node" + first + "  down"), status[0]);
            JsonNode m = new Http(httpBase + active(status[0])).get("/v1/messages/" + id).body();
            assertEquals("DELIVERED", m.get("state").asText(), "what the killed node delivered, as the next one has it: " + m);
        } finally {
            String[] down = cluster("down", c.toString());
            assertEquals("0", down[0], down[1]);
        }
        for (String pidFile : new String[] {"node1.pid", "node2.pid", "node3.pid", "sim.pid"}) {
            assertTrue(Files.notExists(c.resolve(pidFile)), pidFile + " left after down");
        }
        assertEquals(0, ProcessHandle.allProcesses().filter(ph -> ph.info().commandLine().orElse("").contains(c.toString())).count(),
                "a process of the cluster still runs after down");
    }
}
