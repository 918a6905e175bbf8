package smppgw.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;

/** A gateway in this JVM, on free ports and a temporary data directory deleted afterwards. */
final class Embedded implements AutoCloseable {
    final Gateway gateway;
    final int httpPort;
    private final Path data;

    /** {@code operators} is the YAML list under {@code operators:}; {@code extra} more top-level YAML. */
    Embedded(String operators, String extra, int smppIoThreads, boolean stateLog) throws IOException {
        data = Files.createTempDirectory("smppgw-bench-");
        httpPort = freePort();
        String yaml = "data-dir: " + data + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "smpp-client: {io-threads: " + smppIoThreads + "}\nlog: {state-changes: " + stateLog + "}\n" + extra
                + "operators:\n" + operators;
        gateway = Gateway.start(GatewayConfig.parse("bench", yaml, data), Clock.systemUTC());
    }

    /** An operator bound to a simulator on {@code port} (system-id/password bench/bench). */
    static String operator(String name, String prefix, int port, int binds, int window, int tps, String more) {
        return "  - name: " + name + "\n" + (prefix == null ? "    default: true\n" : "    prefixes: [\"" + prefix + "\"]\n")
                + "    tps: " + tps + "\n" + more
                + "    binds:\n      - {host: 127.0.0.1, port: " + port + ", system-id: bench, password: bench, count: " + binds
                + ", window: " + window + "}\n";
    }

    /** Simulator YAML section body (indented two spaces), system-id/password bench/bench. */
    static String simulator(int port, String more) {
        return "simulator:\n  enabled: true\n  listen: 127.0.0.1:" + port + "\n  system-id: bench\n  password: bench\n" + more;
    }

    void awaitHealthy() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!gateway.health().ok() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** What to look at when messages stopped progressing: binds, backlogs, windows, owed receipts, heap. */
    java.util.Map<String, Object> diagnostics() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("health", gateway.health().detail().toString());
        if (gateway.simulator() != null) {
            m.put("simulator_owed_receipts", gateway.simulator().owed());
            m.put("simulator_sessions", gateway.simulator().sessionCount());
            m.put("simulator_submits", gateway.simulator().stats().submits.get());
            m.put("simulator_receipts_acked", gateway.simulator().stats().receiptsAcked.get());
        }
        m.put("heap_used_mib", java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
        return m;
    }

    long dataDirBytes() throws IOException {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
