package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import smppgw.dispatch.Dispatcher;

/**
 * Intake far faster than the operator drains. HTTP mode: the backlog stays at its bound, the excess is
 * answered 429, the heap stays flat. Fill mode ({@code --fill N}): an operator with no SMSC reachable
 * takes N messages in-process, showing heap use while millions wait on disk.
 */
@Command(name = "backpressure", mixinStandardHelpOptions = true, description = "429s, bounded backlog, heap over time; --fill N for a big backlog.")
final class BackpressureScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--duration", defaultValue = "30s", description = "HTTP mode: time under load (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--tps", defaultValue = "1000", description = "HTTP mode: operator tps (default ${DEFAULT-VALUE})")
    int tps;
    @Option(names = "--max-backlog", defaultValue = "20000", description = "HTTP mode: operator max-backlog (default ${DEFAULT-VALUE})")
    long maxBacklog;
    @Option(names = "--concurrency", defaultValue = "64", description = "HTTP mode: connections (default ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--fill", defaultValue = "0", description = "fill mode: messages to queue for an unreachable SMSC (e.g. 10000000)")
    long fill;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    @Override
    public Integer call() throws Exception {
        return fill > 0 ? fill() : http();
    }

    private int http() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", "HTTP intake far above the drain rate");
        settings.put("operator_tps", tps);
        settings.put("max_backlog", maxBacklog);
        settings.put("concurrency", concurrency);
        settings.put("duration", duration);
        Report report = new Report("backpressure", settings);
        int smsc = Embedded.freePort();
        try (Embedded e = new Embedded(Embedded.operator("op", null, smsc, 2, 100, tps, "    max-backlog: " + maxBacklog + "\n"),
                Embedded.simulator(smsc, "  receipt-delay: 10ms\n"), common.smppIo, common.stateLog);
             HttpLoad load = new HttpLoad("127.0.0.1", e.httpPort, "/v1/messages", n -> "{\"to\":\"+336" + String.format("%08d", n % 100_000_000)
                     + "\",\"from\":\"BENCH\",\"text\":\"x " + n + "\"}")) {
            e.awaitHealthy();
            Sampler s = new Sampler(e.gateway.dispatcher("op"));
            s.start();
            HttpLoad.Result r = load.run(concurrency, 0, CommonOptions.duration(duration), false);
            s.stop();
            report.put("requests", r.requests()).put("answers_by_status", r.statuses())
                    .put("refused_429_pct", Math.round(r.statuses().getOrDefault(429, 0L) * 1000.0 / Math.max(1, r.requests())) / 10.0)
                    .put("max_backlog_seen", s.maxBacklog).put("heap_used_mib_max", s.maxHeapMib)
                    .put("answer_latency_ms", Report.percentilesMs(r.latency()));
            s.chart(report);
        }
        report.write(common.out);
        return 0;
    }

    private int fill() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("mode", "fill: " + fill + " messages for an operator whose SMSC is unreachable");
        settings.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        Report report = new Report("backpressure-fill", settings);
        int nowhere = Embedded.freePort();
        try (Embedded e = new Embedded(Embedded.operator("op", null, nowhere, 1, 100, 0, "    max-backlog: 1000000000\n"),
                "intake: {max-backlog: 10000000000}\n", common.smppIo, common.stateLog)) {
            Sampler s = new Sampler(e.gateway.dispatcher("op"));
            s.start();
            long t0 = System.nanoTime();
            InProcessLoad.Result r = InProcessLoad.run(e.gateway.intake(), 2, 1000, java.time.Duration.ofHours(2), fill,
                    n -> "+336" + String.format("%08d", n % 100_000_000), false);
            double secs = (System.nanoTime() - t0) / 1e9;
            s.stop();
            System.gc();
            report.put("queued", e.gateway.dispatcher("op").backlog())
                    .put("accepted_per_s", Math.round(fill / secs))
                    .put("heap_used_mib_max", s.maxHeapMib)
                    .put("heap_used_mib_after_gc", memory.getHeapMemoryUsage().getUsed() >> 20)
                    .put("data_dir_mib", e.dataDirBytes() >> 20)
                    .put("accept_batch_latency_ms", Report.percentilesMs(r.latency()));
            s.chart(report);
        }
        report.write(common.out);
        return 0;
    }

    /** Backlog and heap once a second. */
    private final class Sampler {
        private final Dispatcher d;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final TreeMap<Long, Long> backlog = new TreeMap<>();
        private final TreeMap<Long, Long> heap = new TreeMap<>();
        private Thread thread;
        volatile long maxBacklog;
        volatile long maxHeapMib;
        private long start;

        Sampler(Dispatcher d) {
            this.d = d;
        }

        void start() {
            start = System.currentTimeMillis() / 1000;
            thread = new Thread(() -> {
                while (running.get()) {
                    long sec = System.currentTimeMillis() / 1000;
                    long b = d.backlog();
                    long h = memory.getHeapMemoryUsage().getUsed() >> 20;
                    synchronized (this) {
                        backlog.put(sec, b);
                        heap.put(sec, h);
                    }
                    maxBacklog = Math.max(maxBacklog, b);
                    maxHeapMib = Math.max(maxHeapMib, h);
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        synchronized void chart(Report report) {
            Map<String, TreeMap<Long, Long>> b = new LinkedHashMap<>();
            b.put("backlog (messages on disk)", backlog);
            report.timeline("backlog", "messages", b, start);
            Map<String, TreeMap<Long, Long>> h = new LinkedHashMap<>();
            h.put("heap used (MiB)", heap);
            report.timeline("heap used", "MiB", h, start);
        }
    }
}
