package smppgw.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code smppgw}: the gateway daemon and its tools. */
@Command(name = "smppgw", mixinStandardHelpOptions = true, version = "smppgw 0.1.0",
        description = "High-throughput SMPP gateway.",
        subcommands = {RunCommand.class, SimCommand.class, CheckConfigCommand.class, AdminCommands.Status.class,
                AdminCommands.Pause.class, AdminCommands.Resume.class, AdminCommands.Drain.class, AdminCommands.Reload.class, AdminCommands.Purge.class, ReportCommand.class,
                AdminCommands.Messages.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
