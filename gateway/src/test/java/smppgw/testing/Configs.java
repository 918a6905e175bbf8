package smppgw.testing;

import java.nio.file.Path;

import smppgw.config.GatewayConfig;
import smppgw.config.SimulatorConfig;

/** Configurations for tests, on free ports. */
public final class Configs {
    private Configs() {
    }

    /** A simulator on a free port; {@code extra} is YAML merged into its section (indented 2). */
    public static SimulatorConfig simulator(int port, String extra) {
        String yaml = "operators: [{name: x, default: true, binds: [{host: 127.0.0.1, system-id: x}]}]\n"
                + "simulator:\n  enabled: true\n  listen: 127.0.0.1:" + port + "\n  system-id: gw\n  password: pw\n" + extra;
        return GatewayConfig.parse("test-sim", yaml, null).simulator();
    }

    /** An operator section binding to a simulator on {@code port}. */
    public static String operator(String name, String prefix, boolean dflt, int port, int count, int window) {
        return operator(name, prefix, dflt, port, count, window, "max-attempts: 20, min-backoff: 50ms, max-backoff: 500ms",
                "response-timeout: 2s, enquire-link-interval: 5s");
    }

    /** With {@code retry} and {@code bindExtra} as YAML flow-mapping entries. */
    public static String operator(String name, String prefix, boolean dflt, int port, int count, int window, String retry,
                                  String bindExtra) {
        return "  - name: " + name + "\n"
                + (prefix == null ? "" : "    prefixes: [\"" + prefix + "\"]\n")
                + "    default: " + dflt + "\n"
                + "    retry: {" + retry + "}\n"
                + "    binds:\n"
                + "      - {host: 127.0.0.1, port: " + port + ", system-id: gw, password: pw, count: " + count
                + ", window: " + window + ", reconnect-min: 50ms, reconnect-max: 500ms, " + bindExtra + "}\n";
    }

    public static GatewayConfig gateway(Path dataDir, int httpPort, String operators) {
        String yaml = "data-dir: " + dataDir + "\n"
                + "http: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "log: {state-changes: false}\n"
                + "operators:\n" + operators;
        return GatewayConfig.parse("test-gateway", yaml, dataDir);
    }
}
