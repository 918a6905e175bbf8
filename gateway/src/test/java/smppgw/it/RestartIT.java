package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 while messages are being accepted and submitted, then a restart: every message that got a 202
 * reaches a final state, including those whose receipts arrive only after the restart.
 */
class RestartIT {
    private static final int CYCLES = 10;
    private static final int PER_CYCLE = 400;
    private static final int WINDOW = 50;
    private static final int BINDS = 2;

    @TempDir
    Path dir;
    private SmscSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void everyAcceptedMessageReachesAFinalStateAcrossKillMinusNine() throws Exception {
        int smsc = Ports.free();
        int httpPort = Ports.free();
        // Receipts come 1.5 s after the submit: many are still owed when the gateway dies.
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1500ms\n  id-format: hex\n  receipt-id-format: decimal\n"))
                .startUnchecked();
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "data-dir: " + dir.resolve("data") + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "operators:\n" + Configs.operator("op", null, true, smsc, BINDS, WINDOW));
        Http http = new Http(httpPort);
        Set<String> accepted = ConcurrentHashMap.newKeySet();

        for (int cycle = 0; cycle < CYCLES; cycle++) {
            GatewayProcess gw = GatewayProcess.start(config, dir.resolve("gateway.log"));
            gw.awaitHealthy(http, Duration.ofSeconds(60));
            int before = accepted.size();
            Semaphore inFlight = new Semaphore(32);
            List<CompletableFuture<?>> posts = new ArrayList<>();
            for (int i = 0; i < 3000 && accepted.size() < before + PER_CYCLE; i++) {
                inFlight.acquire();
                posts.add(http.postAsync("/v1/messages", "{\"to\":\"+336" + String.format("%08d", cycle * 10_000 + i)
                                + "\",\"from\":\"ACME\",\"text\":\"restart " + cycle + "\"}")
                        .thenAccept(r -> {
                            if (r.status() == 202) {
                                accepted.add(r.body().get("id").asText());
                            }
                        }).whenComplete((v, e) -> inFlight.release()));
            }
            gw.kill(); // while submits and receipts are in flight
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        }

        GatewayProcess gw = GatewayProcess.start(config, dir.resolve("gateway.log"));
        try {
            gw.awaitHealthy(http, Duration.ofSeconds(60));
            Await.until(Duration.ofSeconds(120), () -> accepted.stream().allMatch(id -> http.delivered(id)),
                    () -> accepted.stream().filter(id -> !http.delivered(id)).count() + " of " + accepted.size() + " not delivered");
            long sent = sim.stats().submits.get();
            long duplicates = sent - accepted.size();
            System.out.printf("restart: %d kill -9 cycles, %d accepted, %d delivered, lost 0, %d submits, %d sent twice (bound %d per crash)%n",
                    CYCLES, accepted.size(), accepted.size(), sent, duplicates, WINDOW * BINDS);
            assertTrue(accepted.size() >= CYCLES * (PER_CYCLE - 50), "enough messages were accepted to make the test mean something");
            assertTrue(duplicates >= 0 && duplicates <= (long) CYCLES * WINDOW * BINDS,
                    duplicates + " duplicates exceed the bound of window x binds per crash");
            assertEquals(0, gw.terminate(Duration.ofSeconds(30)));
        } finally {
            gw.close();
        }
    }

}
