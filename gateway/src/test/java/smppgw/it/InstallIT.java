package smppgw.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import smppgw.testing.GatewayProcess;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release as an operator gets it: the tarball's files (as dist/assembly.xml lays them out) installed with
 * {@code install.sh --prefix} into a temporary root, then the installed CLI, from that root's {@code usr/local/bin},
 * checks the configuration, runs the gateway, and answers status and report against it — no source tree, no Maven.
 */
class InstallIT {
    @TempDir
    Path dir;

    private static Path home() {
        return Path.of(System.getProperty("smppgw.home", "..")).toAbsolutePath().normalize();
    }

    /** An unpacked tarball: smppgw.jar, install.sh, README.md, bin/smppgw, config/, systemd/. */
    private Path unpacked() throws IOException {
        Path t = Files.createDirectories(dir.resolve("smppgw-release"));
        Path jar = Path.of(System.getProperty("smppgw.jar", home().resolve("gateway/target/smppgw.jar").toString()));
        Files.copy(jar, t.resolve("smppgw.jar"));
        Files.copy(home().resolve("dist/install.sh"), t.resolve("install.sh"));
        Files.copy(home().resolve("README.md"), t.resolve("README.md"));
        Files.createDirectories(t.resolve("bin"));
        Files.copy(home().resolve("bin/smppgw"), t.resolve("bin/smppgw"));
        for (String d : List.of("config", "systemd")) {
            try (Stream<Path> files = Files.walk(home().resolve(d))) {
                for (Path f : files.toList()) {
                    Path to = t.resolve(d).resolve(home().resolve(d).relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
        }
        t.resolve("install.sh").toFile().setExecutable(true);
        t.resolve("bin/smppgw").toFile().setExecutable(true);
        return t;
    }

    /** Runs a command with a clean environment (nothing of this build's SMPPGW_* variables); exit code and output. */
    private Map.Entry<Integer, String> run(Path cwd, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SMPPGW_"));
        pb.environment().put("SMPPGW_JAVA_OPTS", "-Xmx128m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not end: " + List.of(command));
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void theInstalledCliChecksRunsAndReportsFromATemporaryRoot() throws Exception {
        Path release = unpacked();
        Path root = dir.resolve("root");
        Map.Entry<Integer, String> install = run(dir, "bash", release.resolve("install.sh").toString(), "--prefix", root.toString());
        assertEquals(0, install.getKey(), install.getValue());
        Path cli = root.resolve("usr/local/bin/smppgw");
        assertTrue(Files.isSymbolicLink(cli), "the CLI is linked onto the PATH");
        assertTrue(Files.exists(root.resolve("opt/smppgw/smppgw.jar")));
        assertFalse(Files.exists(root.resolve("opt/smppgw/gateway")), "no source tree in the install");
        Path config = root.resolve("etc/smppgw/gateway.yaml");
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        String yaml = Files.readString(config);
        assertTrue(yaml.contains("data-dir: " + root.resolve("var/lib/smppgw")), yaml);

        // the operator's edit: ports of their own (tests share the host)
        int http = Ports.free();
        int smsc = Ports.free();
        Files.writeString(config, yaml.replace("127.0.0.1:8080", "127.0.0.1:" + http).replace("2775", String.valueOf(smsc)));

        // check-config with no argument: the installed configuration
        Map.Entry<Integer, String> check = run(dir, cli.toString(), "check-config");
        assertEquals(0, check.getKey(), check.getValue());
        assertTrue(check.getValue().contains("127.0.0.1:" + http), check.getValue());

        List<String> runCommand = new ArrayList<>(List.of(cli.toString(), "run"));
        try (GatewayProcess gw = GatewayProcess.start(runCommand, dir, dir.resolve("gateway.log"))) {
            Http api = new Http(http);
            gw.awaitHealthy(api, Duration.ofSeconds(60));
            Http.Response sent = api.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"installed\",\"campaign\":\"c1\"}");
            assertEquals(202, sent.status(), sent.body()::toString);

            Map.Entry<Integer, String> status = run(dir, cli.toString(), "status");
            assertEquals(0, status.getKey(), status.getValue());
            assertTrue(status.getValue().contains("sim"), "status names the operator: " + status.getValue());
            Map.Entry<Integer, String> report = run(dir, cli.toString(), "report", "--campaign", "c1");
            assertEquals(0, report.getKey(), report.getValue());
            assertTrue(report.getValue().contains("c1"), report.getValue());
            assertEquals(0, gw.terminate(Duration.ofSeconds(30)), gw.logText());
        }
        assertTrue(Files.exists(root.resolve("var/lib/smppgw/journal")) || Files.list(root.resolve("var/lib/smppgw")).findAny().isPresent(),
                "the data went under the prefix");
    }
}
