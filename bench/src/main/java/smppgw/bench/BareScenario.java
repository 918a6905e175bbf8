package smppgw.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What the gateway is measured against from outside: a bare SMPP client (cloudhopper, no store, no HTTP, no rules)
 * keeping every window full against an SMSC running in a process of its own, the same SMSC the gateway is driven
 * against ({@code bench/scripts/overload.sh} with {@code BARE=1}). Its rate is the ceiling of that SMSC on this
 * machine; its own CPU per message is the floor of what submitting and taking receipts costs.
 */
@Command(name = "bare", mixinStandardHelpOptions = true, description = "A bare SMPP client against an external SMSC.")
final class BareScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--smsc", required = true, description = "host:port of the SMSC")
    String smsc;
    @Option(names = "--system-id", defaultValue = "smppgw", description = "(default ${DEFAULT-VALUE})")
    String systemId;
    @Option(names = "--password", defaultValue = "secret", description = "(default ${DEFAULT-VALUE})")
    String password;
    @Option(names = "--binds", defaultValue = "2", description = "sessions, as the shipped configuration's binds (default ${DEFAULT-VALUE})")
    int binds;
    @Option(names = "--window", defaultValue = "100", description = "window per session (default ${DEFAULT-VALUE})")
    int window;
    @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--warmup", defaultValue = "15s", description = "unmeasured time first (default ${DEFAULT-VALUE})")
    String warmup;

    @Override
    public Integer call() throws Exception {
        int colon = smsc.lastIndexOf(':');
        RawCeiling.Target target = new RawCeiling.Target(smsc.substring(0, colon), Integer.parseInt(smsc.substring(colon + 1)), systemId, password);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("smsc", "external process at " + smsc);
        settings.put("binds", binds);
        settings.put("window", window);
        settings.put("duration", duration);
        settings.put("warmup", warmup);
        settings.put("smpp_io_threads", common.smppIo);
        Report report = new Report("bare", settings);
        Cpu.Snapshot[] cpu = new Cpu.Snapshot[2];
        Map<String, Object> m = RawCeiling.measure(target, binds, window, common.smppIo, CommonOptions.duration(warmup),
                CommonOptions.duration(duration), cpu);
        report.put("bare_client", m);
        long responses = ((Number) m.get("submit_resp_per_s")).longValue();
        report.put("cpu", Cpu.perMessage(cpu[0], cpu[1], Math.round(responses * CommonOptions.duration(duration).toMillis() / 1000.0)));
        report.write(common.out);
        return 0;
    }
}
