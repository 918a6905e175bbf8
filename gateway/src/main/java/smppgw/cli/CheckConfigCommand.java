package smppgw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import smppgw.config.ConfigException;
import smppgw.config.ConfigPrinter;
import smppgw.config.GatewayConfig;

/** Validates a configuration file and prints it with every default filled in and passwords masked. */
@Command(name = "check-config", description = "Validate FILE and print the effective configuration (secrets masked).")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..1", description = "configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:SMPPGW_CONFIG:-${env:SMPPGW_HOME:-.}/config/gateway.yaml}")
    Path file;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            System.err.println(file + ": no such file");
            return 2;
        }
        try {
            System.out.print(ConfigPrinter.toYaml(GatewayConfig.load(file)));
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }
}
