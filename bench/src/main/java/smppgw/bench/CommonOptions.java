package smppgw.bench;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every scenario has. */
final class CommonOptions {
    @Option(names = "--out", defaultValue = "bench-results", description = "directory for the JSON and HTML reports (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--smpp-io-threads", defaultValue = "1", description = "gateway SMPP client I/O threads (default ${DEFAULT-VALUE})")
    int smppIo;

    @Option(names = "--state-log", defaultValue = "false", description = "log every state change (default ${DEFAULT-VALUE})")
    boolean stateLog;

    static java.time.Duration duration(String s) {
        String t = s.trim();
        if (t.endsWith("ms")) {
            return java.time.Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> java.time.Duration.ofSeconds(n);
            case 'm' -> java.time.Duration.ofMinutes(n);
            default -> throw new IllegalArgumentException("duration like 500ms, 20s or 2m: " + s);
        };
    }
}
