package smppgw.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Http;
import smppgw.testing.Ports;
import smppgw.testing.Tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real filesystem filled to its last byte while intake, receipts and handset replies flow, with the disk guard
 * blind (free space reported as plenty): only the store's own reservation of the blocks its memory-mapped files
 * write stands between a full disk and a torn journal. Then space comes back, then restarts, then a rebuild.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RealDiskFullTest {
    @TempDir
    Path dir;
    private Tmpfs disk;
    private Gateway gw;

    @AfterEach
    void stop() throws Exception {
        Closer.close(gw);
        if (disk != null) {
            disk.close();
        }
    }

    private GatewayConfig config(Path data, int http, int smsc) {
        String yaml = "data-dir: " + data + "\nhttp: {listen: 127.0.0.1:" + http + "}\nlog: {state-changes: false}\n"
                + "store: {min-free-disk-mb: 1}\n"
                + "operators:\n  - name: only\n    default: true\n"
                + "    retry: {max-attempts: 50, min-backoff: 50ms, max-backoff: 500ms}\n"
                + "    binds: [{host: 127.0.0.1, port: " + smsc + ", system-id: gw, password: pw, count: 2, window: 50,"
                + " reconnect-min: 50ms, reconnect-max: 500ms}]\n"
                + "simulator: {enabled: true, listen: 127.0.0.1:" + smsc + ", system-id: gw, password: pw, receipt-delay: 300ms,"
                + " receipt-tlvs: false, mo-reply: MERCI}\n";
        return GatewayConfig.parse("test", yaml, data);
    }

    @Test
    void aFullDiskIsRefusedNotTornAndEverythingAcceptedIsDeliveredAfterSpaceReturnsAndAfterRestarts() throws Exception {
        disk = Tmpfs.mount(dir.resolve("disk"), 48);
        Path data = disk.dir().resolve("data");
        int httpPort = Ports.free();
        int smsc = Ports.free();
        GatewayConfig cfg = config(data, httpPort, smsc);
        long unreadableBefore = smppgw.store.chronicle.TornRecords.count();
        gw = Gateway.start(cfg, Clock.systemUTC(), () -> Long.MAX_VALUE); // the guard never sees the disk fill
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        Http http = new Http(httpPort);

        List<String> accepted = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicInteger n = new AtomicInteger();
        Thread producer = new Thread(() -> {
            while (producing.get()) {
                int i = n.incrementAndGet();
                String answer;
                try {
                    Http.Response r = http.post("/v1/messages", "{\"to\":\"+3361" + String.format("%07d", i)
                            + "\",\"from\":\"36111\",\"text\":\"Bonjour " + i + "\"}");
                    answer = r.status() + (r.body().has("error") ? " " + r.body().get("error").asText() : "");
                    if (r.status() == 202) {
                        accepted.add(r.body().get("id").asText());
                    }
                } catch (RuntimeException e) {
                    answer = "exception " + e;
                }
                answers.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
            }
        }, "producer");
        producer.start();
        Await.until(Duration.ofSeconds(30), () -> accepted.size() >= 300 && gw.simulator().stats().moAcked.get() > 50,
                () -> accepted.size() + " accepted, " + gw.simulator().stats().moAcked.get() + " MO");

        long filled = disk.fill();
        assertTrue(disk.free() < 4096, "the disk is full: " + disk.free() + " bytes free after writing " + filled);
        int acceptedWhenFull = accepted.size();
        Await.until(Duration.ofSeconds(15), () -> answers.containsKey("503 disk_full"), answers::toString);
        assertEquals("disk_full", gw.health().detail().get("store").asText());
        long refusedReceipts = gw.simulator().stats().receiptsRefused.get();
        Await.until(Duration.ofSeconds(15), () -> gw.simulator().stats().receiptsRefused.get() > refusedReceipts + 10,
                () -> "receipts were not refused while the disk was full");
        assertTrue(accepted.size() - acceptedWhenFull < 200, "intake stopped: " + (accepted.size() - acceptedWhenFull) + " accepted since");

        disk.release();
        int acceptedAtRelease = accepted.size();
        Await.until(Duration.ofSeconds(30), () -> accepted.size() > acceptedAtRelease + 100, () -> "intake did not resume: " + answers);
        producing.set(false);
        producer.join();
        for (String answer : answers.keySet()) {
            assertTrue(answer.equals("202") || answer.equals("503 disk_full"), "every request got 202 or 503 disk_full: " + answers);
        }
        assertAllDelivered(accepted, Duration.ofSeconds(90));
        assertEquals(unreadableBefore, smppgw.store.chronicle.TornRecords.count(), "no record was torn");

        gw.close(); // the same data directory again
        gw = Gateway.start(cfg, Clock.systemUTC(), () -> Long.MAX_VALUE);
        assertAllDelivered(accepted, Duration.ofSeconds(10));
        gw.close(); // and the state rebuilt from the journal alone
        deleteTree(data.resolve("state"));
        gw = Gateway.start(cfg, Clock.systemUTC(), () -> Long.MAX_VALUE);
        assertAllDelivered(accepted, Duration.ofSeconds(10));
        assertEquals(unreadableBefore, smppgw.store.chronicle.TornRecords.count(), "no record was torn");
    }

    /** Delivered: a DELIVRD receipt matched (the state may be READ on top: the simulated handsets reply). */
    private void assertAllDelivered(List<String> ids, Duration within) {
        java.util.function.Predicate<String> delivered = id -> gw.store().find(id).map(v -> (v.state() == MessageState.DELIVERED
                || v.state() == MessageState.READ) && v.events().stream().anyMatch(e -> "DELIVRD".equals(e.stat()))).orElse(false);
        Await.until(within, () -> ids.stream().allMatch(delivered),
                () -> ids.stream().filter(delivered.negate()).count() + " of " + ids.size() + " not delivered, e.g. "
                        + ids.stream().filter(delivered.negate()).findFirst().flatMap(id -> gw.store().find(id))
                        .map(v -> v.events().toString()).orElse("(unknown to the store)"));
    }

    static void deleteTree(Path p) throws java.io.IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
