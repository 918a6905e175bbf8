package smppgw.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import smppgw.api.http.Health;
import smppgw.api.http.HttpApi;
import smppgw.api.smpp.SmppServer;
import smppgw.config.ConfigChanges;
import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.OperatorBinds;
import smppgw.smpp.SmppClientPool;
import smppgw.store.MessageStore;

/**
 * The running gateway: the node's listeners (HTTP, SMPP server), its SMPP binds, metrics and admin, over a {@link Core}
 * (the journal and what decides on it and reads it). Starts its parts in dependency order (simulator, store, SMPP binds,
 * dispatchers, HTTP) and stops them in reverse: intake first, then in-flight submits are given time to finish, binds
 * unbind, and the store closes last. A failed start closes what already started.
 */
public final class Gateway implements AutoCloseable, smppgw.api.http.Admin {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private volatile GatewayConfig config;
    private Clients clients;
    private final Parts started = new Parts();
    private SmscSimulator simulator;
    /** The journal and what decides on it and reads it. */
    private Core core;
    private SmppClientPool pool;
    /** TLS contexts of the listeners and binds, read again on reload. */
    private final smppgw.tls.TlsContexts tls = new smppgw.tls.TlsContexts();
    private HttpApi http;
    private final smppgw.metrics.Metrics metrics = new smppgw.metrics.Metrics();
    private java.util.function.LongSupplier usableDisk;
    private SmppServer smppServer;
    private boolean closed;

    private Gateway(GatewayConfig config) {
        this.config = config;
    }

    public static Gateway start(GatewayConfig config, Clock clock) {
        return start(config, clock, null);
    }

    /** @param usableDiskBytes free space of the data directory (null: ask the filesystem); tests inject it */
    public static Gateway start(GatewayConfig config, Clock clock, java.util.function.LongSupplier usableDiskBytes) {
        Gateway g = new Gateway(config);
        g.usableDisk = usableDiskBytes;
        try {
            g.startParts(clock);
            return g;
        } catch (Exception e) {
            g.close();
            throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
        }
    }

    private void startParts(Clock clock) throws Exception {
        if (config.simulator().enabled()) {
            simulator = started.push("simulator", new SmscSimulator(config.simulator()).start());
        }
        DataDir.create(config.dataDir());
        DataDir.warnIfOthersCanRead(config.source(), config.holdsSecrets());
        core = started.push("store", new Core(config, clock, metrics)); // stops serving, if it still does, then closes the store
        core.open();
        smppgw.tls.TlsContexts.Endpoint httpTls = config.http().tls() == null ? null : tls.listener("http", config.http().tls());
        smppgw.tls.TlsContexts.Endpoint smppTls = config.smppServer().enabled() && config.smppServer().tls() != null
                ? tls.listener("smpp-server", config.smppServer().tls()) : null;
        try {
            pool = new SmppClientPool(config.smppClient().ioThreads(), config.operators(), core.recorder(), tls);
        } catch (IllegalArgumentException e) {
            throw new smppgw.config.ConfigException(List.of(e.getMessage()));
        }
        started.push("smpp binds", () -> pool.stop(2000));
        pool.start();
        clients = new Clients(config.clients());
        started.push("dispatchers, webhooks, follow-ups", core::stopServing); // in-flight submits drain while the binds are up
        core.serve(pool, clients, usableDisk);
        if (!clients.authRequired()) {
            LOG.warn("HTTP API on {} takes unauthenticated requests (no clients configured); it only listens on loopback",
                    config.http().listen());
        }
        GatewayMetrics.register(metrics, pool, core.dispatchers(), core.store());
        GatewayMetrics.webhooks(metrics, core.webhooks());
        GatewayMetrics.tls(metrics, tls);
        http = new HttpApi(config.http(), core.intake(), core.store(), clients, this::health, metrics, this, config.admin(), config.metrics(),
                httpTls);
        DataDir.writeAdminToken(config.dataDir(), http.adminToken());
        http.start();
        started.push("http", http);
        if (config.smppServer().enabled()) {
            smppServer = started.push("smpp server", new SmppServer(config.smppServer(), smppgw.api.smpp.Submitter.local(core.intake()), clock,
                    clients, metrics, smppTls).start());
            smppServer.notifyFrom("journal", core.store());
            GatewayMetrics.integrators(metrics, smppServer, config.clients());
        }
        LOG.info("smppgw started: {} operator(s), data in {}", config.operators().size(), config.dataDir());
    }

    @Override
    public ObjectNode status() {
        ObjectNode n = health().detail();
        n.put("data_dir", config.dataDir().toString());
        core.status(n);
        if (smppServer != null) {
            ObjectNode ints = n.putObject("integrators");
            config.clients().stream().filter(c -> c.systemId() != null).forEach(c -> ints.put(c.name(), smppServer.boundCount(c.name())));
        }
        return n;
    }

    @Override
    public boolean pause(String operator) {
        return core.controls().pause(operator);
    }

    @Override
    public boolean resume(String operator) {
        return core.controls().resume(operator);
    }

    @Override
    public boolean drain(String operator) {
        return core.controls().drain(operator);
    }

    /** The file the admin token is in (no admin.api-key configured): {@code <data-dir>/admin.token}. */
    public static java.nio.file.Path adminTokenFile(java.nio.file.Path dataDir) {
        return DataDir.adminTokenFile(dataDir);
    }

    /**
     * Re-reads the configuration file the gateway was started with and applies it ({@link #reload(GatewayConfig)}).
     * SIGHUP, {@code smppgw reload} and {@code POST /admin/reload} come here.
     *
     * @throws smppgw.config.ConfigException the file is not a valid configuration: nothing changed
     * @throws smppgw.config.ReloadRefusedException the new configuration changes settings only a restart applies: nothing changed
     */
    @Override
    public List<String> reload() {
        return reload(GatewayConfig.load(java.nio.file.Path.of(config.source())));
    }

    /**
     * Applies a new configuration to the running gateway, all of it or none: operator throttles, retries,
     * encodings, validity and routes; bind counts, accounts and bind tps (binds that stay keep their
     * connection); clients' keys, passwords, rates, bind types and counts; backlog bounds. Refused whole if
     * it changes anything only a restart can (see {@link ConfigChanges#needingRestart}).
     *
     * @return what was applied, e.g. {@code operators[orange].tps}
     */
    public synchronized List<String> reload(GatewayConfig next) {
        if (closed) {
            throw new IllegalStateException("the gateway is stopping");
        }
        GatewayConfig now = config;
        List<String> restart = ConfigChanges.needingRestart(now, next);
        if (!restart.isEmpty()) {
            LOG.warn("reload of {} refused: needs a restart to change {}; running configuration unchanged", next.source(), restart);
            throw new smppgw.config.ReloadRefusedException(restart);
        }
        List<String> applied = new java.util.ArrayList<>(ConfigChanges.applied(now, next));
        try {
            applied.addAll(tls.reload(next)); // first: a certificate that cannot be used refuses the whole reload
        } catch (IllegalArgumentException e) {
            LOG.warn("reload of {} refused: {}; running configuration unchanged", next.source(), e.getMessage());
            throw new smppgw.config.ConfigException(List.of(e.getMessage()));
        }
        core.reconfigure(next);
        for (OperatorConfig op : next.operators()) {
            OperatorConfig was = now.operator(op.name());
            if (!op.binds().equals(was.binds())) {
                LOG.info("[op:{}] binds reloaded: {}", op.name(), pool.reconfigure(op));
            }
        }
        clients.update(next.clients());
        config = next;
        LOG.info("configuration reloaded from {}: {}", next.source(), applied.isEmpty() ? "no changes" : applied);
        return applied;
    }

    /** Healthy when the store takes writes and every operator has at least one bind up. */
    public Health health() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        String down = core == null ? "closed" : core.unavailable();
        boolean diskLow = core != null && core.diskLow();
        boolean ok = down == null && !diskLow;
        n.put("store", down != null ? (down.startsWith("disk_full") ? "disk_full" : "unavailable") : diskLow ? "disk_low" : "ok");
        if (down != null) {
            n.put("store_reason", down);
        }
        ObjectNode ops = n.putObject("operators");
        for (Map.Entry<String, OperatorBinds> e : pool.all().entrySet()) {
            OperatorBinds b = e.getValue();
            ObjectNode o = ops.putObject(e.getKey());
            o.put("binds_up", b.boundCount());
            o.put("binds", b.sessions().size());
            o.put("window_in_use", b.windowInUse());
            Dispatcher d = core.dispatchers().get(e.getKey());
            if (d != null) {
                o.put("backlog", d.backlog());
                o.put("retry_waiting", d.retryWaiting());
                o.put("in_flight", d.inFlight());
                o.put("effective_tps", d.effectiveTps());
                o.put("achieved_tps", d.achievedTps());
                o.put("throttled", d.throttled());
            }
            if (b.boundCount() == 0) {
                ok = false;
            }
        }
        n.put("status", ok ? "ok" : "degraded");
        if (FailoverNode.wanted(config)) {
            n.put("role", "active"); // a standby's port answers "standby" (StandbyFront)
        }
        return new Health(ok, n);
    }

    /** The integrator SMPP server, or null when {@code smpp-server.listen} is not set. */
    public SmppServer smppServer() {
        return smppServer;
    }

    public smppgw.metrics.Metrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http.port();
    }

    /** HTTP connections open now. */
    public int httpConnections() {
        return http.openConnections();
    }

    /** Campaign follow-ups (tests walk them at once instead of waiting for the timer). */
    public smppgw.intake.FollowUps followUps() {
        return core.followUps();
    }

    /** The intake every interface uses (validation, routing, backpressure, store). */
    public Intake intake() {
        return core.intake();
    }

    public MessageStore store() {
        return core.store();
    }

    public SmppClientPool pool() {
        return pool;
    }

    public SmscSimulator simulator() {
        return simulator;
    }

    public Dispatcher dispatcher(String operator) {
        return core.dispatchers().get(operator);
    }

    /** Stops in reverse start order. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        started.close();
        LOG.info("smppgw stopped");
    }
}
