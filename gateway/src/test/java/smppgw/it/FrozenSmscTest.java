package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A jSMPP SMSC in a process of its own, frozen with SIGSTOP for 15 s while 2,000 messages flow, then thawed. What was
 * in flight when it froze may reach it twice (it reads what its socket buffered even after the gateway gave up on the
 * connection); nothing is sent more than twice, and the duplicates stay within one window per bind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FrozenSmscTest {
    private static final int BINDS = 2;
    private static final int WINDOW = 50;
    private static final int MESSAGES = 2000;

    @TempDir
    Path dir;
    private Process smsc;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (smsc != null) {
            signal("CONT");
            smsc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anSmscFrozenFor15sUnderLoadGetsEachMessageAtMostTwiceAndWithinTheBound() throws Exception {
        int smscPort = Ports.free();
        Path received = dir.resolve("received.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        smsc = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), JsmppSmsc.class.getName(),
                String.valueOf(smscPort), "300", received.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("smsc.log").toFile()).start();
        Path smscLog = dir.resolve("smsc.log");
        Await.until(Duration.ofSeconds(30), () -> lines(smscLog) > 0 && text(smscLog).contains("listening on"), () -> "the SMSC process did not start");
        int httpPort = Ports.free();
        gw = Gateway.start(Configs.gateway(dir.resolve("data"), httpPort, Configs.operator("op", null, true, smscPort, BINDS, WINDOW,
                "max-attempts: 10, min-backoff: 200ms, max-backoff: 2s",
                "response-timeout: 2s, enquire-link-interval: 5s, bind-timeout: 3s")), Clock.systemUTC());
        Await.until(Duration.ofSeconds(20), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(httpPort);

        List<String> ids = new ArrayList<>();
        for (int b = 0; b < MESSAGES / 100; b++) {
            StringBuilder batch = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < 100; i++) {
                int n = b * 100 + i;
                batch.append(i == 0 ? "" : ",").append("{\"to\":\"+4479460").append(String.format("%05d", n))
                        .append("\",\"from\":\"ACME\",\"text\":\"m").append(n).append("\"}");
            }
            Http.Response r = http.post("/v1/messages/batch", batch.append("]}").toString());
            r.body().get("results").forEach(x -> ids.add(x.get("id").asText()));
            if (b == 5) {
                Await.until(Duration.ofSeconds(30), () -> lines(received) > 300, () -> "nothing reached the SMSC");
                signal("STOP"); // frozen mid-load, windows full
            }
        }
        assertEquals(MESSAGES, ids.size());
        Thread.sleep(15_000); // the fault itself: the SMSC stays frozen this long
        signal("CONT");

        Await.until(Duration.ofSeconds(120), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> ids.stream().map(id -> gw.store().find(id).orElseThrow().state())
                        .collect(Collectors.groupingBy(s -> s, Collectors.counting())).toString());
        Map<String, Long> copies = Files.readAllLines(received).stream()
                .collect(Collectors.groupingBy(l -> l.substring(0, l.indexOf(' ')), Collectors.counting()));
        long duplicates = copies.values().stream().mapToLong(c -> c - 1).sum();
        System.out.printf("frozen SMSC: %d messages, %d submits received, %d duplicates (bound %d), at most %d copies of one%n",
                MESSAGES, copies.values().stream().mapToLong(c -> c).sum(), duplicates, BINDS * WINDOW,
                copies.values().stream().mapToLong(c -> c).max().orElse(0));
        assertEquals(MESSAGES, copies.size(), "every message reached the SMSC");
        assertTrue(copies.values().stream().allMatch(c -> c <= 2), "none more than twice: " + copies.values().stream()
                .filter(c -> c > 2).count());
        assertTrue(duplicates <= BINDS * WINDOW, duplicates + " duplicates: more than a window per bind");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(smsc.pid())).inheritIO().start().waitFor();
    }

    private static long lines(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String text(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }
}
