package smppgw.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;

/**
 * A gateway in another process, seen from outside: its CPU from {@code /proc/PID/stat} (user+sys), and from its
 * {@code /metrics} (loopback) the parts the SMSC accepted and the backlog, sampled every second.
 */
final class GatewayProbe implements AutoCloseable {
    private final URI metrics;
    private final Long pid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final TreeMap<Long, Long> submittedPerSecond = new TreeMap<>();
    final TreeMap<Long, Long> backlog = new TreeMap<>();
    final TreeMap<Long, Long> refusedPerSecond = new TreeMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    GatewayProbe(String base, Long pid) {
        this.metrics = URI.create(base + "/metrics");
        this.pid = pid;
        sampler = new Thread(this::sample, "bench-gateway-probe");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The gateway process's user+sys CPU in nanoseconds, or -1 without a pid. */
    long cpuNs() {
        if (pid == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * 10_000_000L; // USER_HZ 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * The gateway's CPU by thread group (user+sys nanoseconds from /proc/PID/task/TID/stat, digits in names folded: the
     * HTTP I/O threads together, the GC workers together, ...); empty without a pid.
     */
    java.util.Map<String, Long> cpuByThread() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (pid == null) {
            return out;
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L, Long::sum);
                } catch (Exception e) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            return out;
        }
        return out;
    }

    /** Sum of a metric's samples over its labels (e.g. every operator's), or -1 when it cannot be read. */
    long metric(String name) {
        String text = scrape();
        return text == null ? -1 : sum(text, name, null);
    }

    private String scrape() {
        try {
            return http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return null;
        }
    }

    /** The sum of {@code name}'s samples whose line contains {@code label} (null: all), -1 when there is none. */
    private static long sum(String text, String name, String label) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && (label == null || line.contains(label))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }

    /** Every second, one scrape: parts submitted, backlog, and intake refused for a full backlog. */
    private void sample() {
        long lastSubmitted = -1;
        long lastRefused = -1;
        while (running) {
            long second = System.currentTimeMillis() / 1000;
            String text = scrape();
            if (text != null) {
                long s = sum(text, "smppgw_submitted_total", null);
                long b = sum(text, "smppgw_backlog_messages", null);
                long r = Math.max(0, sum(text, "smppgw_intake_total", "backlog_full"));
                if (s >= 0 && lastSubmitted >= 0) {
                    submittedPerSecond.put(second, s - lastSubmitted);
                }
                if (lastRefused >= 0) {
                    refusedPerSecond.put(second, r - lastRefused);
                }
                if (b >= 0) {
                    backlog.put(second, b);
                }
                lastSubmitted = s;
                lastRefused = r;
            }
            try {
                Thread.sleep(1000 - System.currentTimeMillis() % 1000); // the sampling period (a bench, not a test)
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
