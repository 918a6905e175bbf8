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
 * taking over and delivering it, then everything stopped. And the same three nodes as a sharded group
 * ({@code CLUSTER_SHARDS=6}): each runs two shards, a node killed, the other two run its shards.
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

    private final int httpBase = freeBase(1, 2, 3, 10, 21, 22, 23);
    private final int kafkaBase = freeBase(92, 93, 94, 192, 193, 194);
    /** {@code CLUSTER_SHARDS} for every command, or null. */
    private String shards;

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
        if (shards != null) {
            pb.environment().put("CLUSTER_SHARDS", shards);
        }
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

    /** The shards each node's status line lists (an empty list for a node that runs none or is not up). */
    private static java.util.Map<Integer, List<Integer>> shardsByNode(String status) {
        java.util.Map<Integer, List<Integer>> out = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^node([123])\\s+sharded\\s+\\S+\\s+shards \\[([0-9,]*)]").matcher(status);
        while (m.find()) {
            out.put(m.group(1).charAt(0) - '0', m.group(2).isEmpty() ? List.of()
                    : java.util.Arrays.stream(m.group(2).split(",")).map(Integer::valueOf).toList());
        }
        return out;
    }

    @Test
    void upAsAShardedGroupEveryNodeRunsShardsAndAKilledNodesShardsMove() throws Exception {
        shards = "6";
        Path c = dir.resolve("sharded");
        try {
            String[] up = cluster("up", c.toString());
            assertEquals("0", up[0], up[1]);
            java.util.Map<Integer, List<Integer>> placed = shardsByNode(up[1]);
            assertEquals(3, placed.size(), up[1]);
            assertEquals(6, placed.values().stream().mapToInt(List::size).sum(), "every shard runs once when up returns: " + up[1]);
            assertTrue(placed.values().stream().allMatch(l -> l.size() == 2), up[1]);

            // twelve numbers over the shards (none the simulator fails: config/gateway.yaml), all posted to node 1: delivered
            List<String> ids = new ArrayList<>();
            Http one = new Http(httpBase + 1);
            for (int i = 0; i < 12; i++) {
                Http.Response r = one.post("/v1/messages", "{\"to\":\"+3361234" + (1000 + i) + "\",\"from\":\"ACME\",\"text\":\"hi\"}");
                assertEquals(202, r.status(), r.body()::toString);
                ids.add(r.body().get("id").asText());
            }
            for (String id : ids) {
                Await.until(Duration.ofSeconds(30), () -> new Http(httpBase + 3).delivered(id), () -> id + " not delivered");
            }

            // the operator paused through node 1 with the CLI (the group's one admin key, from node 1's file): paused on every
            // node; resumed through node 3
            java.util.Map.Entry<Integer, String> paused = smppgw.testing.Cli.run("pause", "sim", "--config", c.resolve("node1.yaml").toString());
            assertEquals(0, paused.getKey(), paused.getValue());
            for (int n = 1; n <= 3; n++) {
                assertTrue(paused.getValue().contains("sim on node node" + n + ": paused"), paused.getValue());
            }
            java.util.Map.Entry<Integer, String> resumed = smppgw.testing.Cli.run("resume", "sim", "--config", c.resolve("node3.yaml").toString());
            assertEquals(0, resumed.getKey(), resumed.getValue());
            for (int n = 1; n <= 3; n++) {
                assertTrue(resumed.getValue().contains("sim on node node" + n + ": sending"), resumed.getValue());
            }

            String[] kill = cluster("kill", "2", c.toString());
            assertEquals("0", kill[0], kill[1]);
            String[] status = new String[1];
            Await.until(Duration.ofSeconds(120), () -> {
                status[0] = status(c);
                java.util.Map<Integer, List<Integer>> now = shardsByNode(status[0]);
                return status[0].contains("node2  down") && now.getOrDefault(1, List.of()).size() + now.getOrDefault(3, List.of()).size() == 6;
            }, () -> "node 2's shards not taken: " + status[0]);
            for (String id : ids) { // what node 2's shards delivered, as the nodes now running them have it
                Await.until(Duration.ofSeconds(30), () -> one.delivered(id), () -> id + " not found delivered after the kill");
            }
            Http.Response after = one.post("/v1/messages", "{\"to\":\"+33612349999\",\"from\":\"ACME\",\"text\":\"after\"}");
            assertEquals(202, after.status(), after.body()::toString);
            Await.until(Duration.ofSeconds(30), () -> one.delivered(after.body().get("id").asText()), () -> "not delivered after the kill");
        } finally {
            String[] down = cluster("down", c.toString());
            assertEquals("0", down[0], down[1]);
        }
        assertEquals(0, ProcessHandle.allProcesses().filter(ph -> ph.info().commandLine().orElse("").contains(c.toString())).count(),
                "a process of the cluster still runs after down");
    }
}
