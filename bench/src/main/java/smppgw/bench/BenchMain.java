package smppgw.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code smppgw-bench}: benchmark scenarios against the gateway and its simulator. */
@Command(name = "smppgw-bench", mixinStandardHelpOptions = true, version = "smppgw-bench 0.1.0",
        description = "Benchmarks for smppgw. Each scenario prints the machine, JVM, settings and HdrHistogram percentiles.",
        subcommands = {MaxScenario.class, RetentionScenario.class, HttpScenario.class, ThrottleScenario.class, PushbackScenario.class,
                BackpressureScenario.class, SmppScenario.class, BareScenario.class,
                CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
