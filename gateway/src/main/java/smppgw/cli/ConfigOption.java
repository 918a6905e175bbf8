package smppgw.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --config FILE}; defaults to {@code $SMPPGW_CONFIG} (the launcher sets it: the source tree's
 * {@code config/gateway.yaml}, or {@code /etc/smppgw/gateway.yaml} when installed), else
 * {@code $SMPPGW_HOME/config/gateway.yaml}, else {@code config/gateway.yaml}.
 */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:SMPPGW_CONFIG:-${env:SMPPGW_HOME:-.}/config/gateway.yaml}")
    Path file;

    Path resolve() {
        if (!Files.exists(file)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    "configuration file not found: " + file.toAbsolutePath());
        }
        return file;
    }
}
