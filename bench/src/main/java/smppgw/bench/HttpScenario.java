package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Single-message HTTP intake, end to end: {@code POST /v1/messages} at a fixed concurrency (or an
 * open-loop rate, where latency counts from the intended send time so a stall is not hidden), then every
 * measured message followed to its final state.
 */
@Command(name = "http", mixinStandardHelpOptions = true, description = "Single-message HTTP intake to DELIVERED, embedded simulator.")
final class HttpScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
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
    @Option(names = "--batch", description = "messages per request: 1 posts /v1/messages, more posts /v1/messages/batch (default ${DEFAULT-VALUE})",
            defaultValue = "1")
    int batch;

    @Option(names = "--url", description = "load a gateway already running elsewhere (e.g. http://127.0.0.1:8080, started with"
            + " bin/smppgw run) instead of one in this process: only the HTTP answers are measured, and the load generator's"
            + " garbage collection no longer pauses the gateway")
    String url;

    @Option(names = "--pid", description = "with --url: the gateway's process id, for its CPU per message (from /proc)")
    Long pid;

    @Option(names = "--client-ref", description = "give each message a client_ref of its own (what it costs: on a sharded group, most"
            + " are held by another shard's core first)")
    boolean clientRef;

    /** Tells this run's client_refs from an earlier run's against the same gateway. */
    private final String run = Long.toString(System.currentTimeMillis(), 36);

    private String body(long n) {
        if (batch <= 1) {
            return one(n);
        }
        StringBuilder b = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < batch; i++) {
            b.append(i == 0 ? "" : ",").append(one(n * batch + i));
        }
        return b.append("]}").toString();
    }

    private String one(long n) {
        return "{\"to\":\"+336" + String.format("%08d", n % 100_000_000) + "\",\"from\":\"BENCH\",\"text\":\"Bonjour, votre code est " + n + "\""
                + (clientRef ? ",\"client_ref\":\"bench-" + run + "-" + n + "\"}" : "}");
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("duration", duration);
        settings.put("warmup", warmup);
        settings.put("concurrency", concurrency);
        settings.put("batch", batch <= 1 ? "single-message POST /v1/messages" : batch + " per POST /v1/messages/batch");
        settings.put("rate", rate == 0 ? "closed loop" : rate + " msg/s open loop");
        settings.put("client_ref", clientRef ? "one per message" : "none");
        settings.put("binds", binds);
        settings.put("window", window);
        settings.put("receipt_delay", receiptDelay);
        settings.put("smpp_io_threads", common.smppIo);
        settings.put("state_log", common.stateLog);
        Report report = new Report("http", settings);
        if (url != null) {
            return external(settings, report);
        }
        int smsc = Embedded.freePort();
        try (Embedded e = new Embedded(Embedded.operator("sim", null, smsc, binds, window, 0, ""),
                Embedded.simulator(smsc, "  receipt-delay: " + receiptDelay + "\n"), common.smppIo, common.stateLog);
             HttpLoad load = new HttpLoad("127.0.0.1", e.httpPort, batch <= 1 ? "/v1/messages" : "/v1/messages/batch", this::body)) {
            e.awaitHealthy();
            load.run(concurrency, rate, CommonOptions.duration(warmup), false);
            e.gateway.store().acceptLatencySinceLastCall(); // reset to the measured period
            Cpu.Snapshot cpu0 = Cpu.now();
            HttpLoad.Result r = load.run(concurrency, rate, CommonOptions.duration(duration), true);
            Cpu.Snapshot cpu1 = Cpu.now(); // before following the messages up (that reads every one back)
            org.HdrHistogram.Histogram storeAccept = e.gateway.store().acceptLatencySinceLastCall();
            Follow f = new Follow(e.gateway.store(), r.ids(), 30);
            report.put("cpu", Cpu.perMessage(cpu0, cpu1, r.ids().size()));
            if (f.notFinal > 0) {
                report.put("stall_diagnostics", e.diagnostics());
            }
            report.put("requests", r.requests()).put("accepted", r.ids().size()).put("errors", r.errors())
                    .put("accepted_per_s", Math.round(r.ids().size() / r.seconds()))
                    .put("submitted_per_s", f.submittedPerS()).put("delivered_per_s", f.deliveredPerS())
                    .put("final_states", f.states).put("not_final", f.notFinal)
                    .put("accept_latency_ms", Report.percentilesMs(r.latency()))
                    .put("accept_to_delivered_ms", Report.percentilesMs(f.acceptToDelivered))
                    .put("stage_store_accept_ms", Report.percentilesMs(storeAccept))
                    .put("stage_accepted_to_submitted_ms", Report.percentilesMs(f.acceptToSubmitted))
                    .put("stage_submitted_to_receipt_ms", Report.percentilesMs(f.submittedToReceipt));
            Map<String, TreeMap<Long, Long>> lines = new LinkedHashMap<>();
            lines.put("accepted", f.acceptedPerSecond);
            lines.put("submitted", f.submittedPerSecond);
            lines.put("delivered", f.deliveredPerSecond);
            report.timeline("throughput (msg/s)", "msg/s", lines, f.firstAccept / 1000);
            Map<String, TreeMap<Long, Long>> worst = new LinkedHashMap<>();
            worst.put("slowest accept in the second (us)", r.worstPerSecondUs());
            report.timeline("slowest HTTP accept per second", "us", worst, f.firstAccept / 1000);
            Map<String, org.HdrHistogram.Histogram> hs = new LinkedHashMap<>();
            hs.put(batch <= 1 ? "accept (HTTP 202)" : "accept (batch answer)", r.latency());
            hs.put("accept -> DELIVERED", f.acceptToDelivered);
            report.percentileChart("latency by percentile", hs);
        }
        report.write(common.out);
        return 0;
    }

    /**
     * Against a gateway in another process (and its SMSC in a third, e.g. {@code bin/smppgw sim}): accept latency and rate
     * from here; from the gateway's {@code /metrics}, the parts the SMSC accepted per second and the backlog over time;
     * with {@code --pid}, the gateway's CPU per message (user+sys over the measured window / messages accepted).
     */
    private Integer external(Map<String, Object> settings, Report report) throws Exception {
        java.net.URI u = java.net.URI.create(url);
        settings.put("gateway", "external process at " + url + (pid == null ? "" : " (pid " + pid + ")")
                + " (binds, window, receipts as its configuration says)");
        settings.keySet().removeAll(java.util.List.of("binds", "window", "receipt_delay", "smpp_io_threads", "state_log"));
        try (HttpLoad load = new HttpLoad(u.getHost(), u.getPort(), batch <= 1 ? "/v1/messages" : "/v1/messages/batch", this::body);
             GatewayProbe probe = new GatewayProbe(url, pid)) {
            load.run(concurrency, rate, CommonOptions.duration(warmup), false);
            long cpu0 = probe.cpuNs();
            Map<String, Long> threads0 = probe.cpuByThread();
            long sub0 = probe.metric("smppgw_submitted_total");
            long start = System.currentTimeMillis() / 1000;
            HttpLoad.Result r = load.run(concurrency, rate, CommonOptions.duration(duration), true);
            long cpu1 = probe.cpuNs();
            Map<String, Long> threads1 = probe.cpuByThread();
            long sub1 = probe.metric("smppgw_submitted_total");
            long accepted = r.ids().size();
            report.put("requests", r.requests()).put("accepted", accepted).put("errors", r.errors())
                    .put("accepted_per_s", Math.round(accepted / r.seconds()))
                    .put("submitted_per_s", sub0 < 0 ? -1 : Math.round((sub1 - sub0) / r.seconds()))
                    .put("accept_latency_ms", Report.percentilesMs(r.latency()));
            if (cpu0 >= 0 && cpu1 >= 0) {
                Map<String, Object> cpu = new LinkedHashMap<>();
                cpu.put("gateway_us_per_message_accepted", accepted == 0 ? 0 : Math.round((cpu1 - cpu0) / 100.0 / accepted) / 10.0);
                cpu.put("gateway_us_per_part_submitted", sub1 - sub0 <= 0 ? 0 : Math.round((cpu1 - cpu0) / 100.0 / (sub1 - sub0)) / 10.0);
                cpu.put("gateway_cpu_cores", Math.round((cpu1 - cpu0) / 1e7 / r.seconds()) / 100.0);
                Map<String, Object> byThread = new LinkedHashMap<>();
                threads1.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue() - threads0.getOrDefault(y.getKey(), 0L),
                        x.getValue() - threads0.getOrDefault(x.getKey(), 0L))).limit(12).forEach(e -> {
                    long ns = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
                    if (ns > 0 && accepted > 0) {
                        byThread.put(e.getKey(), Math.round(ns / 100.0 / accepted) / 10.0);
                    }
                });
                cpu.put("us_per_message_by_thread", byThread);
                report.put("cpu", cpu);
            }
            Map<String, TreeMap<Long, Long>> lines = new LinkedHashMap<>();
            lines.put("submitted (at the SMSC)", probe.submittedPerSecond);
            lines.put("refused 429 backlog_full", probe.refusedPerSecond);
            report.timeline("throughput (msg/s)", "msg/s", lines, start);
            Map<String, TreeMap<Long, Long>> backlog = new LinkedHashMap<>();
            backlog.put("backlog (messages waiting)", probe.backlog);
            report.timeline("backlog over time", "messages", backlog, start);
            report.put("backlog_last", probe.backlog.isEmpty() ? -1 : probe.backlog.lastEntry().getValue());
            Map<String, Object> every10 = new LinkedHashMap<>();
            probe.backlog.forEach((sec, b) -> {
                if ((sec - start) % 10 == 0 && sec >= start) {
                    every10.put((sec - start) + "s", b + " waiting, " + probe.submittedPerSecond.getOrDefault(sec, 0L) + "/s sent, "
                            + probe.refusedPerSecond.getOrDefault(sec, 0L) + "/s refused");
                }
            });
            report.put("every_10s", every10);
            Map<String, org.HdrHistogram.Histogram> hs = new LinkedHashMap<>();
            hs.put(batch <= 1 ? "accept (HTTP 202)" : "accept (batch answer)", r.latency());
            report.percentileChart("latency by percentile", hs);
        }
        report.write(common.out);
        return 0;
    }
}
