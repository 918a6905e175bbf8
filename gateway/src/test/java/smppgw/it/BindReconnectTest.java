package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.BindSession;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binds dropped again and again under traffic: they come back, nothing is lost, no thread or channel leaks. */
class BindReconnectTest {
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw, sim);
    }

    @Test
    void manyReconnectCyclesLeakNothingAndLoseNothing() {
        int smscPort = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smscPort, "  receipt-delay: 1ms\n")).startUnchecked();
        int httpPort = Ports.free();
        gw = Gateway.start(Configs.gateway(dir, httpPort, Configs.operator("op", null, true, smscPort, 3, 20)), Clock.systemUTC());
        List<BindSession> binds = gw.pool().binds("op").sessions();
        Http http = new Http(httpPort);
        List<String> ids = new ArrayList<>();

        int baseline = 0;
        for (int cycle = 1; cycle <= 30; cycle++) {
            int c = cycle;
            Await.until(Duration.ofSeconds(10), () -> binds.stream().allMatch(b -> b.isBound() && b.bindCount() >= c),
                    () -> "cycle " + c + ": binds " + binds.stream().map(b -> b.name() + "=" + b.bindCount() + "/" + b.isBound()).toList());
            for (int i = 0; i < 20; i++) {
                ids.add(http.post("/v1/messages", "{\"to\":\"+3361000" + String.format("%04d", ids.size())
                        + "\",\"from\":\"ACME\",\"text\":\"cycle " + cycle + "\"}").body().get("id").asText());
            }
            if (cycle == 5) {
                baseline = threadCount(); // after warm-up: every pool has started its threads
            }
            sim.dropBinds();
        }
        // every bind came back after the last drop (bound 31 times), not merely still looking bound
        Await.until(Duration.ofSeconds(10), () -> binds.stream().allMatch(b -> b.isBound() && b.bindCount() >= 31),
                () -> "binds not back: " + binds.stream().map(b -> b.name() + "=" + b.bindCount()).toList());
        Await.until(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> state(id) == MessageState.DELIVERED),
                () -> ids.stream().filter(id -> state(id) != MessageState.DELIVERED).count() + " of " + ids.size() + " not delivered");

        int after = threadCount();
        assertTrue(after <= baseline + 2, "threads grew from " + baseline + " to " + after + ": " + threadNames());
        Await.until(Duration.ofSeconds(10), () -> sim.sessionCount() == 3,
                () -> "one server-side session per bind (old channels closed) expected, the simulator has " + sim.sessionCount());
        assertEquals(600, ids.size());
    }

    private MessageState state(String id) {
        return gw.store().find(id).map(v -> v.state()).orElse(null);
    }

    private static int threadCount() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
