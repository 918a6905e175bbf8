package smppgw.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;

/**
 * The set-up most integration tests share, as one extension: a data directory of the test's own, an SMSC simulator
 * on a free port, the gateway on a free HTTP port, and all of it closed (gateway first) and deleted after each test.
 *
 * <pre>
 * {@literal @}RegisterExtension final GatewayExtension env = new GatewayExtension();
 * ...
 * env.simulator("  receipt-delay: 1ms\n");
 * Gateway gw = env.start(Configs.operator("op", null, true, env.smscPort(), 1, 50));
 * </pre>
 */
public final class GatewayExtension implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private SmscSimulator sim;
    private JsmppSmsc jsmpp;
    private Gateway gw;
    private int smscPort;
    private int httpPort;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("smppgw-test");
        smscPort = Ports.free();
        httpPort = Ports.free();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            Closer.close(gw, sim, jsmpp);
        } finally {
            gw = null;
            sim = null;
            jsmpp = null;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public Path dir() {
        return dir;
    }

    public int smscPort() {
        return smscPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The simulator on {@link #smscPort()}; {@code extra}: YAML for its section, indented 2. */
    public SmscSimulator simulator(String extra) {
        sim = new SmscSimulator(Configs.simulator(smscPort, extra)).startUnchecked();
        return sim;
    }

    public SmscSimulator simulator() {
        return sim;
    }

    /** A jSMPP SMSC (a peer nobody here wrote) on {@link #smscPort()}, giving ids from {@code firstId}. */
    public JsmppSmsc jsmpp(java.util.function.BiFunction<org.jsmpp.bean.SubmitSm, Long, JsmppSmsc.Reply> policy, long firstId) throws Exception {
        jsmpp = new JsmppSmsc(smscPort, policy, firstId);
        return jsmpp;
    }

    public JsmppSmsc jsmpp(java.util.function.BiFunction<org.jsmpp.bean.SubmitSm, Long, JsmppSmsc.Reply> policy) throws Exception {
        return jsmpp(policy, 0x39f99dd5L);
    }

    /** The gateway with these operators (YAML, as {@link Configs#operator} writes them), waited for until healthy. */
    public Gateway start(String operators) {
        return start(Configs.gateway(dir, httpPort, operators));
    }

    public Gateway start(GatewayConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Started, not waited for (for a gateway that is not to be healthy: no SMSC to bind to). */
    public Gateway launch(GatewayConfig config, Clock clock) {
        gw = Gateway.start(config, clock);
        return gw;
    }

    public Gateway start(GatewayConfig config, Clock clock) {
        gw = Gateway.start(config, clock);
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        return gw;
    }

    /** The same, with whatever the test adds before {@code operators:} (top-level YAML). */
    public Gateway startWith(String yaml, String operators) {
        return start(config(yaml, operators));
    }

    /** A configuration on this test's directory and HTTP port, with {@code yaml} (top level) before {@code operators:}. */
    public GatewayConfig config(String yaml, String operators) {
        return GatewayConfig.parse("test", "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\n"
                + "log: {state-changes: false}\n" + yaml + "operators:\n" + operators, dir);
    }

    public Gateway gateway() {
        return gw;
    }

    /** An HTTP client for the gateway's admin API (with the token it wrote to the data directory). */
    public Http admin() {
        return Http.admin(dir, httpPort);
    }

    /** An HTTP client for the gateway's API. */
    public Http http() {
        return new Http(httpPort);
    }
}
