package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import smppgw.config.GatewayConfig;
import smppgw.sim.SmscSimulator;

/**
 * Operators at fixed tps limits, each with a backlog larger than it can send and its own simulator,
 * measured from the SMSC side (what the carrier sees): the rate in every sliding 10-second window against
 * the limit, and the largest count in any sliding one-second window.
 */
@Command(name = "throttle", mixinStandardHelpOptions = true, description = "Per-operator tps limits, measured at the SMSCs.")
final class ThrottleScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--limits", split = ",", defaultValue = "50,500,5000", description = "operator tps limits (default ${DEFAULT-VALUE})")
    List<Integer> limits;
    @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--binds", defaultValue = "2", description = "binds per operator (default ${DEFAULT-VALUE})")
    int binds;
    @Option(names = "--window", defaultValue = "100", description = "window per bind (default ${DEFAULT-VALUE})")
    int window;

    @Override
    public Integer call() throws Exception {
        long measureMs = CommonOptions.duration(duration).toMillis();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("limits", limits);
        settings.put("duration", duration);
        settings.put("binds", binds);
        settings.put("window", window);
        settings.put("backlog", "each operator gets limit x (duration + 10 s) messages first");
        Report report = new Report("throttle", settings);
        List<SmscSimulator> sims = new ArrayList<>();
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < limits.size(); i++) {
            int port = Embedded.freePort();
            sims.add(new SmscSimulator(GatewayConfig.parse("sim", "operators: [{name: x, default: true, binds: [{host: h, system-id: x}]}]\n"
                    + Embedded.simulator(port, "  receipt-delay: 10ms\n"), null).simulator()).start());
            ops.append(Embedded.operator("op" + limits.get(i), "+33" + (i + 1), port, binds, window, limits.get(i), "    max-backlog: 100000000\n"));
        }
        try (Embedded e = new Embedded(ops.toString(), "", common.smppIo, common.stateLog)) {
            e.awaitHealthy();
            long start = System.currentTimeMillis();
            for (int i = 0; i < limits.size(); i++) {
                String prefix = "+33" + (i + 1);
                long count = (long) limits.get(i) * (measureMs / 1000 + 10);
                InProcessLoad.run(e.gateway.intake(), 2, 500, java.time.Duration.ofMinutes(10), count,
                        n -> prefix + String.format("%08d", n % 100_000_000), false);
            }
            long from = start + 3000; // skip the ramp-up
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(0, from + measureMs + 500 - System.currentTimeMillis())));
            Map<String, Object> perOp = new LinkedHashMap<>();
            for (int i = 0; i < limits.size(); i++) {
                int limit = limits.get(i);
                TreeMap<Long, Long> deci = sims.get(i).stats().acceptedPerDecisecond();
                perOp.put("op" + limit, analyse(deci, limit, from / 100, (from + measureMs) / 100));
                Map<String, TreeMap<Long, Long>> line = new LinkedHashMap<>();
                line.put("sent per second (limit " + limit + ")", new TreeMap<>(sims.get(i).stats().acceptedPerSecond()
                        .subMap(from / 1000, (from + measureMs) / 1000)));
                report.timeline("op" + limit + ": submits accepted by the SMSC per second", "msg/s", line, from / 1000);
            }
            report.put("operators", perOp);
        } finally {
            sims.forEach(SmscSimulator::close);
        }
        report.write(common.out);
        return 0;
    }

    /** Sliding windows over 100 ms buckets [fromDs, toDs). */
    static Map<String, Object> analyse(TreeMap<Long, Long> deci, int limit, long fromDs, long toDs) {
        long total = 0;
        for (long d = fromDs; d < toDs; d++) {
            total += deci.getOrDefault(d, 0L);
        }
        long maxOneSecond = 0;
        for (long d = fromDs; d + 10 <= toDs; d++) {
            long sum = 0;
            for (long k = d; k < d + 10; k++) {
                sum += deci.getOrDefault(k, 0L);
            }
            maxOneSecond = Math.max(maxOneSecond, sum);
        }
        double worst10 = 0;
        double min10 = Double.MAX_VALUE;
        double max10 = 0;
        for (long d = fromDs; d + 100 <= toDs; d++) {
            long sum = 0;
            for (long k = d; k < d + 100; k++) {
                sum += deci.getOrDefault(k, 0L);
            }
            double rate = sum / 10.0;
            min10 = Math.min(min10, rate);
            max10 = Math.max(max10, rate);
            worst10 = Math.max(worst10, Math.abs(rate - limit) / limit * 100);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("limit_tps", limit);
        m.put("mean_tps", Math.round(total * 10.0 / (toDs - fromDs) * 100) / 100.0);
        m.put("ten_second_windows_tps_min_max", List.of(min10, max10));
        m.put("worst_ten_second_deviation_pct", Math.round(worst10 * 100) / 100.0);
        m.put("max_any_one_second", maxOneSecond);
        m.put("max_one_second_vs_limit", Math.round(maxOneSecond * 1000.0 / limit) / 1000.0);
        return m;
    }
}
