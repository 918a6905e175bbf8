package smppgw.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.util.concurrent.Callable;

import smppgw.config.ConfigException;
import smppgw.config.GatewayConfig;
import smppgw.daemon.FailoverNode;
import smppgw.daemon.Gateway;

/** Validates the configuration, starts the gateway, reloads on SIGHUP, runs until SIGTERM/SIGINT, then stops cleanly and exits 0. */
@Command(name = "run", description = "Run the gateway (until SIGTERM or SIGINT; SIGHUP reloads the configuration).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        GatewayConfig cfg;
        try {
            cfg = GatewayConfig.load(config.resolve());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (FailoverNode.wanted(cfg) && cfg.store().kafka().shards() > 1) { // runs the shards of its group Kafka gives it
            smppgw.daemon.ShardedNode node;
            try {
                node = smppgw.daemon.ShardedNode.start(() -> GatewayConfig.load(config.resolve()), Clock.systemUTC(), cfg.store().kafka().shards());
            } catch (RuntimeException e) {
                return failedToStart(e);
            }
            return serve(node::reload, node);
        }
        if (FailoverNode.wanted(cfg)) { // stands by until Kafka makes this node the active one of its group
            FailoverNode node;
            try {
                node = FailoverNode.start(() -> GatewayConfig.load(config.resolve()), Clock.systemUTC());
            } catch (RuntimeException e) {
                return failedToStart(e);
            }
            return serve(node::reload, node);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg, Clock.systemUTC());
        } catch (RuntimeException e) {
            return failedToStart(e);
        }
        return serve(gateway::reload, gateway);
    }

    private static int failedToStart(RuntimeException e) {
        LOG.error("{}", e.getMessage(), e.getCause());
        System.err.println("smppgw: " + e.getMessage());
        return 1;
    }

    /** Reloads on SIGHUP until SIGTERM/SIGINT, then stops. */
    private static int serve(Runnable reload, AutoCloseable running) {
        Signals.onHangup(() -> {
            LOG.info("reloading the configuration (SIGHUP)");
            try {
                reload.run();
            } catch (RuntimeException e) { // ConfigException among them; the gateway logged any details
                LOG.error("reload refused, the running configuration stays: {}", e.getMessage());
            }
        });
        awaitSignal();
        try {
            running.close();
        } catch (Exception e) {
            LOG.warn("while stopping: {}", e.toString());
        }
        flushLogs();
        return 0;
    }

    private static void awaitSignal() {
        try {
            Signals.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("stopping (signal received)");
    }

    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext lc) {
            lc.stop(); // flush the async appender before the JVM exits
        }
    }
}
