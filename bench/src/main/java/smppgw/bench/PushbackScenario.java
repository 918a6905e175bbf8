package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import smppgw.config.GatewayConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.sim.SmscSimulator;

/**
 * An SMSC that answers ESME_RTHROTTLED above N tps, and an operator configured without a limit: the
 * adaptive rate should settle near N, and every message still end DELIVERED.
 */
@Command(name = "pushback", mixinStandardHelpOptions = true, description = "SMSC throttles above N tps: adaptive rate, nothing lost.")
final class PushbackScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--smsc-tps", defaultValue = "500", description = "the SMSC throttles above this (default ${DEFAULT-VALUE})")
    int smscTps;
    @Option(names = "--duration", defaultValue = "30s", description = "time with a backlog (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--binds", defaultValue = "2", description = "binds (default ${DEFAULT-VALUE})")
    int binds;
    @Option(names = "--window", defaultValue = "100", description = "window per bind (default ${DEFAULT-VALUE})")
    int window;

    @Override
    public Integer call() throws Exception {
        long seconds = CommonOptions.duration(duration).toSeconds();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("smsc_throttles_above_tps", smscTps);
        settings.put("operator_tps", "0 (unlimited)");
        settings.put("messages", smscTps * seconds);
        settings.put("binds", binds);
        settings.put("window", window);
        Report report = new Report("pushback", settings);
        int port = Embedded.freePort();
        try (SmscSimulator sim = new SmscSimulator(GatewayConfig.parse("sim", "operators: [{name: x, default: true, binds: [{host: h, system-id: x}]}]\n"
                + Embedded.simulator(port, "  receipt-delay: 10ms\n  throttle-tps: " + smscTps + "\n"), null).simulator()).start();
             Embedded e = new Embedded(Embedded.operator("op", null, port, binds, window, 0, ""), "", common.smppIo, common.stateLog)) {
            e.awaitHealthy();
            long start = System.currentTimeMillis();
            InProcessLoad.Result r = InProcessLoad.run(e.gateway.intake(), 2, 500, java.time.Duration.ofMinutes(10), smscTps * seconds,
                    n -> "+336" + String.format("%08d", n % 100_000_000), true);
            Dispatcher d = e.gateway.dispatcher("op");
            TreeMap<Long, Long> effective = new TreeMap<>();
            while (d.backlog() > 0 || d.inFlight() > 0) {
                effective.put(System.currentTimeMillis() / 1000, Math.round(d.effectiveTps()));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
            Follow f = new Follow(e.gateway.store(), r.ids(), 30);
            TreeMap<Long, Long> accepted = sim.stats().acceptedPerSecond();
            long last = accepted.isEmpty() ? 0 : accepted.lastKey();
            long sum = 0;
            int n = 0;
            for (long s = last - 10; s < last; s++) { // the last 10 full seconds with a backlog
                sum += accepted.getOrDefault(s, 0L);
                n++;
            }
            report.put("messages", r.ids().size())
                    .put("delivered", f.delivered)
                    .put("lost", r.ids().size() - f.delivered)
                    .put("final_states", f.states)
                    .put("throttled_answers_0x58", sim.stats().throttled.get())
                    .put("smsc_accepted_tps_last_10s", n == 0 ? 0 : sum / n)
                    .put("converged_vs_smsc_limit", n == 0 ? 0 : Math.round(sum / (double) n / smscTps * 100) / 100.0)
                    .put("seconds_to_drain", (System.currentTimeMillis() - start) / 1000);
            Map<String, TreeMap<Long, Long>> lines = new LinkedHashMap<>();
            lines.put("accepted by SMSC /s", accepted);
            lines.put("0x58 answers /s", sim.stats().throttledPerSecond());
            lines.put("gateway effective tps", effective);
            report.timeline("rate against an SMSC throttling above " + smscTps + " tps", "msg/s", lines, start / 1000);
        }
        report.write(common.out);
        return 0;
    }
}
