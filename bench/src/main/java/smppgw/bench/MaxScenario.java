package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The gateway's ceiling: intake (in-process batches, no HTTP) → journal → queue → binds → simulator →
 * receipts → DELIVERED, unlimited tps, receipts on; and in the same run, the bare cloudhopper client ↔
 * server ceiling on the same cores, with the ratio of the two.
 */
@Command(name = "max", mixinStandardHelpOptions = true, description = "Gateway end-to-end ceiling vs raw cloudhopper, same run.")
final class MaxScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--warmup", defaultValue = "5s", description = "unmeasured time first (default ${DEFAULT-VALUE})")
    String warmup;
    @Option(names = "--binds", defaultValue = "4", description = "binds / raw sessions (default ${DEFAULT-VALUE})")
    int binds;
    @Option(names = "--window", defaultValue = "1000", description = "window per bind (default ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--batch", defaultValue = "100", description = "messages per intake batch (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--intake-threads", defaultValue = "4", description = "batches in flight (default ${DEFAULT-VALUE})")
    int threads;
    @Option(names = "--receipt-delay", defaultValue = "0ms", description = "simulator receipt delay (default ${DEFAULT-VALUE})")
    String receiptDelay;
    @Option(names = "--max-backlog", defaultValue = "200000", description = "operator max-backlog: intake waits (429) beyond it (default ${DEFAULT-VALUE})")
    long maxBacklog;
    @Option(names = "--skip-raw", description = "do not measure the raw ceiling")
    boolean skipRaw;
    @Option(names = "--intake", defaultValue = "in-process", description = "in-process (Intake.accept, no HTTP) or http-batch"
            + " (POST /v1/messages/batch, --batch per request, --intake-threads connections) (default ${DEFAULT-VALUE})")
    String intake;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        boolean http = intake.equals("http-batch");
        settings.put("intake", (http ? "POST /v1/messages/batch, " + threads + " connections x " : "in-process batches (no HTTP), "
                + threads + " threads x ") + batch);
        settings.put("duration", duration);
        settings.put("warmup", warmup);
        settings.put("binds", binds);
        settings.put("window", window);
        settings.put("receipt_delay", receiptDelay);
        settings.put("max_backlog", maxBacklog);
        settings.put("smpp_io_threads", common.smppIo);
        settings.put("state_log", common.stateLog);
        Report report = new Report("max", settings);

        Map<String, Object> raw = null;
        if (!skipRaw) {
            raw = RawCeiling.measure(binds, window, common.smppIo, CommonOptions.duration(warmup), CommonOptions.duration(duration));
            report.put("raw_cloudhopper", raw);
        }

        int smsc = Embedded.freePort();
        String ops = Embedded.operator("sim", null, smsc, binds, window, 0, "    max-backlog: " + maxBacklog + "\n");
        String sim = Embedded.simulator(smsc, "  receipt-delay: " + receiptDelay + "\n  window: " + window + "\n");
        try (Embedded e = new Embedded(ops, sim, common.smppIo, common.stateLog)) {
            e.awaitHealthy();
            InProcessLoad.Result r = http ? viaHttp(e) : viaIntake(e);
            Cpu.Snapshot measuredTo = Cpu.now(); // before following the messages up (that reads every one back)
            Follow f = new Follow(e.gateway.store(), r.ids(), 30);
            report.put("cpu", Cpu.perMessage(measuredFrom, measuredTo, r.ids().size()));
            if (f.notFinal > 0) {
                report.put("stall_diagnostics", e.diagnostics());
            }
            Map<String, Object> gw = new LinkedHashMap<>();
            gw.put("accepted", r.ids().size());
            gw.put("refused_backlog_full", r.refused());
            gw.put("accepted_per_s", Math.round(r.ids().size() / r.seconds()));
            gw.put("submitted_per_s", f.submittedPerS());
            gw.put("delivered_per_s", f.deliveredPerS());
            gw.put("final_states", f.states);
            gw.put("not_final", f.notFinal);
            gw.put("retries", f.retries);
            gw.put("accept_batch_latency_ms", Report.percentilesMs(r.latency()));
            gw.put("accept_to_delivered_ms", Report.percentilesMs(f.acceptToDelivered));
            report.put("gateway", gw);
            if (raw != null) {
                double rawRate = ((Number) raw.get("receipts_per_s")).doubleValue();
                report.put("ratio_delivered_vs_raw_receipts", Math.round(f.deliveredPerS() / rawRate * 100) / 100.0);
            }
            long start = f.firstAccept / 1000;
            Map<String, java.util.TreeMap<Long, Long>> lines = new LinkedHashMap<>();
            lines.put("accepted", f.acceptedPerSecond);
            lines.put("submitted", f.submittedPerSecond);
            lines.put("delivered", f.deliveredPerSecond);
            report.timeline("throughput (msg/s)", "msg/s", lines, start);
            Map<String, org.HdrHistogram.Histogram> hs = new LinkedHashMap<>();
            hs.put("accept (batch)", r.latency());
            hs.put("accept -> DELIVERED", f.acceptToDelivered);
            report.percentileChart("latency by percentile", hs);
        }
        report.write(common.out);
        return 0;
    }

    /** CPU when the measured run started (after the warm-up). */
    private Cpu.Snapshot measuredFrom;

    private InProcessLoad.Result viaIntake(Embedded e) throws InterruptedException {
        InProcessLoad.run(e.gateway.intake(), threads, batch, CommonOptions.duration(warmup), Long.MAX_VALUE, Max::to, false);
        measuredFrom = Cpu.now();
        return InProcessLoad.run(e.gateway.intake(), threads, batch, CommonOptions.duration(duration), Long.MAX_VALUE, Max::to, true);
    }

    private InProcessLoad.Result viaHttp(Embedded e) throws InterruptedException {
        try (HttpLoad load = new HttpLoad("127.0.0.1", e.httpPort, "/v1/messages/batch", n -> {
            StringBuilder b = new StringBuilder("{\"messages\":[");
            for (int i = 0; i < batch; i++) {
                b.append(i == 0 ? "" : ",").append("{\"to\":\"").append(Max.to(n * batch + i))
                        .append("\",\"from\":\"BENCH\",\"text\":\"Bonjour, votre code est ").append(n * batch + i).append("\"}");
            }
            return b.append("]}").toString();
        })) {
            load.run(threads, 0, CommonOptions.duration(warmup), false);
            measuredFrom = Cpu.now();
            HttpLoad.Result r = load.run(threads, 0, CommonOptions.duration(duration), true);
            return new InProcessLoad.Result(r.ids(), r.errors(), r.latency(), r.seconds());
        }
    }

    private static final class Max {
        static String to(long n) {
            return "+336" + String.format("%08d", n % 100_000_000);
        }
    }
}
