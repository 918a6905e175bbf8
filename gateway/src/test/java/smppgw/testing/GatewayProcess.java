package smppgw.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as operators run it: {@code bin/smppgw run --config FILE} in a process of its own, with the
 * packaged jar. Its output goes to a log file next to the config.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static GatewayProcess start(Path config, Path log) throws IOException {
        Path home = Path.of(System.getProperty("smppgw.home", "..")).toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(List.of(home.resolve("bin/smppgw").toString(), "run", "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        String jar = System.getProperty("smppgw.jar");
        if (jar != null) {
            pb.environment().put("SMPPGW_JAR", jar);
        }
        pb.environment().put("SMPPGW_JAVA_OPTS", "-Xmx256m");
        pb.directory(config.getParent().toFile());
        return new GatewayProcess(pb.start(), log);
    }

    /**
     * Any launcher command (an installed {@code smppgw run}) in {@code dir}, with none of this build's {@code SMPPGW_*}
     * variables: as an operator's shell would start it.
     */
    public static GatewayProcess start(List<String> command, Path dir, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SMPPGW_"));
        pb.environment().put("SMPPGW_JAVA_OPTS", "-Xmx256m");
        return new GatewayProcess(pb.start(), log);
    }

    /** Waits until {@code GET /health} answers 200. */
    public void awaitHealthy(Http http, Duration timeout) {
        Await.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("gateway exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                return http.get("/health").status() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> "gateway not healthy; log:\n" + logText());
    }

    /** SIGKILL: no shutdown hook, no flush, no unbind. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGHUP (what {@code systemctl reload} sends): the gateway re-reads its configuration. */
    public void hangup() throws IOException, InterruptedException {
        signal("HUP");
    }

    /** SIGSTOP: the whole process frozen (a stalled VM, a debugger, swapping), its sockets left open. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: it goes on from where it was, unaware of the time that passed. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, then the exit code (or -1 if it did not exit in time). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
