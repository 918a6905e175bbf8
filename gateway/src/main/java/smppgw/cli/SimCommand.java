package smppgw.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

import smppgw.config.ConfigException;
import smppgw.config.GatewayConfig;
import smppgw.config.HostPort;
import smppgw.config.SimulatorConfig;
import smppgw.sim.SmscSimulator;

/** Runs only the SMSC simulator, configured by the {@code simulator:} section of the configuration file. */
@Command(name = "sim", description = "Run the SMSC simulator alone (the simulator: section of the config; enabled is ignored).")
final class SimCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "override simulator.listen")
    String listen;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig s;
        try {
            s = GatewayConfig.load(config.resolve()).simulator();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (listen != null) {
            HostPort hp = HostPort.parse(listen);
            if (hp == null) {
                System.err.println("--listen " + listen + ": expected host:port");
                return 2;
            }
            s = s.withListen(hp);
        }
        SmscSimulator sim = new SmscSimulator(s).start();
        Signals.awaitTermination();
        sim.close();
        return 0;
    }
}
