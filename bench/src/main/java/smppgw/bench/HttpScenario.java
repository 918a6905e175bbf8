package smppgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.store.Event;
import smppgw.store.EventType;
import smppgw.store.MessageView;

/**
 * Single-message HTTP intake, end to end: the gateway and its embedded simulator in this JVM, a load of
 * {@code POST /v1/messages} at a fixed concurrency (or an open-loop rate), then every measured message
 * followed to DELIVERED. Latency is from the intended send time, so a stalled gateway is not hidden
 * (coordinated omission) when a rate is given.
 */
@Command(name = "http", mixinStandardHelpOptions = true, description = "Single-message HTTP intake to DELIVERED, embedded simulator.")
final class HttpScenario implements Callable<Integer> {
    @Option(names = "--duration", description = "measured time (default ${DEFAULT-VALUE})", defaultValue = "20s")
    String duration;
    @Option(names = "--warmup", description = "unmeasured time first (default ${DEFAULT-VALUE})", defaultValue = "5s")
    String warmup;
    @Option(names = "--concurrency", description = "keep-alive connections, one request in flight each (default ${DEFAULT-VALUE})", defaultValue = "64")
    int concurrency;
    @Option(names = "--rate", description = "target msg/s, 0 = as fast as the concurrency allows (default ${DEFAULT-VALUE})", defaultValue = "0")
    int rate;
    @Option(names = "--binds", description = "binds to the simulator (default ${DEFAULT-VALUE})", defaultValue = "2")
    int binds;
    @Option(names = "--window", description = "window per bind (default ${DEFAULT-VALUE})", defaultValue = "200")
    int window;
    @Option(names = "--receipt-delay", description = "simulator receipt delay (default ${DEFAULT-VALUE})", defaultValue = "0ms")
    String receiptDelay;
    @Option(names = "--smpp-io-threads", defaultValue = "1", description = "gateway SMPP client I/O threads (default ${DEFAULT-VALUE})")
    int smppIo;
    @Option(names = "--state-log", defaultValue = "false", description = "log every state change (default ${DEFAULT-VALUE})")
    boolean stateLog;
    @Option(names = "--out", defaultValue = "bench-results", description = "directory for the JSON result (default ${DEFAULT-VALUE})")
    Path out;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        Path data = Files.createTempDirectory("smppgw-bench-");
        int httpPort = freePort();
        int smscPort = freePort();
        String yaml = "data-dir: " + data + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "smpp-client: {io-threads: " + smppIo + "}\nlog: {state-changes: " + stateLog + "}\n"
                + "operators:\n  - name: sim\n    default: true\n    binds:\n      - {host: 127.0.0.1, port: " + smscPort
                + ", system-id: bench, password: bench, count: " + binds + ", window: " + window + "}\n"
                + "simulator: {enabled: true, listen: 127.0.0.1:" + smscPort + ", system-id: bench, password: bench, receipt-delay: "
                + receiptDelay + "}\n";
        GatewayConfig config = GatewayConfig.parse("bench", yaml, data);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scenario", "http");
        settings.put("duration", duration);
        settings.put("warmup", warmup);
        settings.put("concurrency", concurrency);
        settings.put("rate", rate);
        settings.put("binds", binds);
        settings.put("window", window);
        settings.put("receipt_delay", receiptDelay);
        settings.put("smpp_io_threads", smppIo);
        settings.put("state_log", stateLog);
        try (Gateway gw = Gateway.start(config, Clock.systemUTC())) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!gw.health().ok() && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            HttpLoad.Result measured;
            try (HttpLoad load = new HttpLoad("127.0.0.1", httpPort, "/v1/messages", n -> "{\"to\":\"+336"
                    + String.format("%08d", n % 100_000_000) + "\",\"from\":\"BENCH\",\"text\":\"Bonjour, votre code est " + n + "\"}")) {
                load.run(concurrency, rate, parse(warmup), false);
                measured = load.run(concurrency, rate, parse(duration), true);
            }
            Map<String, Object> result = analyse(gw, measured);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("when", Instant.now().toString());
            report.put("machine", Environment.describe());
            report.put("settings", settings);
            report.put("result", result);
            String text = JSON.writeValueAsString(report);
            System.out.println(text);
            Files.createDirectories(out);
            Path file = out.resolve("http-" + Instant.now().toString().replace(':', '-') + ".json");
            Files.writeString(file, text);
            System.out.println("written: " + file);
        } finally {
            try (Stream<Path> s = Files.walk(data)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** Follows every measured message to a final state, then reads the stage times from its events. */
    private static Map<String, Object> analyse(Gateway gw, HttpLoad.Result r) {
        // Follow every message to a final state; give up only when nothing progressed for 30 s.
        List<MessageView> views = new ArrayList<>();
        List<String> pending = new ArrayList<>(r.ids());
        long lastProgress = System.nanoTime();
        while (!pending.isEmpty() && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(30)) {
            List<String> still = new ArrayList<>();
            for (String id : pending) {
                Optional<MessageView> v = gw.store().find(id);
                if (v.isPresent() && v.get().state().isFinal()) {
                    views.add(v.get());
                } else {
                    still.add(id);
                }
            }
            if (still.size() < pending.size()) {
                lastProgress = System.nanoTime();
            }
            pending = still;
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        Histogram toDelivered = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        long firstAccept = Long.MAX_VALUE;
        long lastSubmit = 0;
        long lastDelivered = 0;
        long delivered = 0;
        Map<String, Integer> states = new java.util.TreeMap<>();
        for (MessageView v : views) {
            states.merge(v.state().name(), 1, Integer::sum);
            long accepted = v.message().acceptedAt();
            firstAccept = Math.min(firstAccept, accepted);
            for (Event e : v.events()) {
                if (e.type() == EventType.SUBMITTED) {
                    lastSubmit = Math.max(lastSubmit, e.at());
                }
                if (e.type() == EventType.RECEIPT && "DELIVRD".equals(e.stat())) {
                    delivered++;
                    lastDelivered = Math.max(lastDelivered, e.at());
                    toDelivered.recordValue(Math.max(1, (e.at() - accepted) * 1000));
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", r.requests());
        m.put("accepted", r.ids().size());
        m.put("errors", r.errors());
        m.put("accepted_per_s", Math.round(r.ids().size() / r.seconds()));
        m.put("submitted_per_s", Math.round(views.size() / Math.max(0.001, (lastSubmit - firstAccept) / 1000.0)));
        m.put("delivered", delivered);
        m.put("delivered_per_s", Math.round(delivered / Math.max(0.001, (lastDelivered - firstAccept) / 1000.0)));
        m.put("final_states", states);
        m.put("not_final_after_30s_without_progress", pending.size());
        m.put("accept_latency_us", percentiles(r.latency()));
        m.put("accept_to_delivered_us", percentiles(toDelivered));
        return m;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", h.getValueAtPercentile(50));
        m.put("p90", h.getValueAtPercentile(90));
        m.put("p99", h.getValueAtPercentile(99));
        m.put("p99_9", h.getValueAtPercentile(99.9));
        m.put("max", h.getMaxValue());
        return m;
    }

    private static Duration parse(String s) {
        String t = s.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        throw new IllegalArgumentException("duration like 500ms, 20s or 2m: " + s);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
