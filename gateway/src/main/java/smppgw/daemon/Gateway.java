package smppgw.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Deque;
import java.util.LinkedHashMap;
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
import smppgw.intake.InvalidRequestException;
import smppgw.receipt.ReceiptRecorder;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.OperatorBinds;
import smppgw.smpp.SmppClientPool;
import smppgw.store.MessageStore;
import smppgw.store.chronicle.ChronicleMessageStore;

/**
 * The running gateway. Starts its parts in dependency order (simulator, store, SMPP binds, dispatchers,
 * HTTP) and stops them in reverse: intake first, then in-flight submits are given time to finish, binds
 * unbind, and the store closes last. A failed start closes what already started.
 */
public final class Gateway implements AutoCloseable, smppgw.api.http.Admin {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final long DRAIN_MS = 10_000;

    private volatile GatewayConfig config;
    private Clients clients;
    private final Deque<Part> started = new java.util.ArrayDeque<>();
    private final Map<String, Dispatcher> dispatchers = new LinkedHashMap<>();
    private SmscSimulator simulator;
    private ChronicleMessageStore store;
    private SmppClientPool pool;
    /** How often campaigns are walked for follow-ups that are due. */
    private static final long FOLLOW_UP_EVERY_MS = 30_000;
    private smppgw.intake.FollowUps followUps;
    /** TLS contexts of the listeners and binds, read again on reload. */
    private final smppgw.tls.TlsContexts tls = new smppgw.tls.TlsContexts();
    private HttpApi http;
    private Intake intake;
    private final smppgw.metrics.Metrics metrics = new smppgw.metrics.Metrics();
    private final Map<String, smppgw.notify.Webhooks> webhooks = new LinkedHashMap<>();
    private final java.util.Set<String> draining = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.function.LongSupplier usableDisk;
    private DiskGuard disk;
    private SmppServer smppServer;
    private boolean closed;

    /** A started component and what to call it in logs. */
    private record Part(String name, AutoCloseable part) {
    }

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
            simulator = new SmscSimulator(config.simulator()).start();
            started.push(new Part("simulator", simulator));
        }
        DataDir.create(config.dataDir());
        DataDir.warnIfOthersCanRead(config.source(), config.holdsSecrets());
        store = Replication.open(config.store(), config.dataDir(), () -> Replication.store(config, clock, true), s -> startedFrom = s);
        started.push(new Part("store", store));
        Replication.start(config.store(), store, metrics, config.dataDir()).ifPresent(k -> started.push(new Part("kafka replication", k)));
        store.onReceiptLatency((op, ms) -> metrics.receiptLatency.labelValues(op).observe(ms / 1000.0));
        store.onReceiptUnmatched((op, why) -> metrics.receiptsUnmatched.labelValues(op, why).inc());
        store.onPurge(r -> {
            lastPurge = r;
            lastPurgeAt = clock.millis();
            metrics.purged.labelValues("messages").inc(r.messages());
            metrics.purged.labelValues("mo").inc(r.inbound());
            metrics.purged.labelValues("files").inc(r.files().size());
        });
        store.onRead((m, via, ms) -> {
            metrics.read.labelValues(m.operator(), via).inc();
            metrics.readLatency.labelValues(via).observe(ms / 1000.0);
        });
        ReceiptRecorder recorder = new ReceiptRecorder(store, clock, metrics);
        smppgw.tls.TlsContexts.Endpoint httpTls = config.http().tls() == null ? null : tls.listener("http", config.http().tls());
        smppgw.tls.TlsContexts.Endpoint smppTls = config.smppServer().enabled() && config.smppServer().tls() != null
                ? tls.listener("smpp-server", config.smppServer().tls()) : null;
        try {
            pool = new SmppClientPool(config.smppClient().ioThreads(), config.operators(), recorder, tls);
        } catch (IllegalArgumentException e) {
            throw new smppgw.config.ConfigException(List.of(e.getMessage()));
        }
        started.push(new Part("smpp binds", () -> pool.stop(2000)));
        pool.start();
        for (OperatorConfig op : config.operators()) {
            Dispatcher d = new Dispatcher(op, store, pool.binds(op.name()), clock, metrics).start();
            dispatchers.put(op.name(), d);
            started.push(new Part("dispatcher " + op.name(), () -> d.drainAndStop(DRAIN_MS)));
        }
        intake = new Intake(store, config.operators(), config.defaultCountryCode(), config.compliance(), config.tracking(),
                this::backpressure,
                (op, n) -> dispatchers.get(op).queued(n), clock);
        for (smppgw.config.ClientConfig c : config.clients()) {
            if (c.webhookUrl() != null) {
                smppgw.notify.Webhooks w = new smppgw.notify.Webhooks(c, store).start();
                webhooks.put(c.name(), w);
                started.push(new Part("webhooks " + c.name(), w));
            }
        }
        clients = new Clients(config.clients());
        intake.defaultClasses(clients::defaultClass);
        boolean blockTransactional = config.compliance().blockTransactional();
        intake.blockTransactional(c -> clients.byName(c).map(smppgw.config.ClientConfig::blockTransactional).orElse(blockTransactional));
        String optOutReply = config.compliance().optOutReply();
        followUps = new smppgw.intake.FollowUps(store, intake).start(FOLLOW_UP_EVERY_MS);
        started.push(new Part("follow-ups", followUps));
        smppgw.intake.OptOutReplies replies = new smppgw.intake.OptOutReplies(intake, store,
                c -> clients.byName(c).map(smppgw.config.ClientConfig::optOutReply).orElse(optOutReply));
        recorder.onJournaled(replies::journaled);
        if (!clients.authRequired()) {
            LOG.warn("HTTP API on {} takes unauthenticated requests (no clients configured); it only listens on loopback",
                    config.http().listen());
        }
        disk = new DiskGuard(usableDisk != null ? usableDisk : DiskGuard.usableSpace(config.dataDir()),
                config.store().minFreeDiskMb() << 20, () -> {
                    store.lowSpace(disk.low());
                    dispatchers.values().forEach(d -> d.hold(disk.low()));
                }).start();
        started.push(new Part("disk guard", disk));
        GatewayMetrics.register(metrics, pool, dispatchers, store);
        GatewayMetrics.webhooks(metrics, webhooks);
        GatewayMetrics.tls(metrics, tls);
        http = new HttpApi(config.http(), intake, store, clients, this::health, metrics, this, config.admin(), config.metrics(),
                httpTls);
        DataDir.writeAdminToken(config.dataDir(), http.adminToken());
        http.start();
        started.push(new Part("http", http));
        if (config.smppServer().enabled()) {
            smppServer = new SmppServer(config.smppServer(), intake, clients, store, metrics, smppTls).start();
            GatewayMetrics.integrators(metrics, smppServer, config.clients());
            started.push(new Part("smpp server", smppServer));
        }
        LOG.info("smppgw started: {} operator(s), data in {}", config.operators().size(), config.dataDir());
    }

    /**
     * Refuses a message (429) when its operator's backlog, or all operators' together, is at its bound.
     * Retry-After is the time the operator needs to drain 5% of its bound at its current rate (1 to 60 s).
     */
    private InvalidRequestException backpressure(String operator) {
        if (disk != null && disk.low()) {
            return new InvalidRequestException(503, "disk_full", null, "disk space on the gateway's data directory is low: nothing was"
                    + " stored, retry later", null, 30);
        }
        if (draining.contains(operator)) {
            return new InvalidRequestException(503, "draining", null, "operator " + operator
                    + " is draining (admin): it takes no new messages until resumed", operator, 60);
        }
        return BacklogLimits.check(operator, dispatchers.get(operator), dispatchers.values(), config.operator(operator), config.intake().maxBacklog());
    }

    /** The last retention pass (null before the first) and when it ended. */
    private volatile smppgw.model.PurgeReport lastPurge;
    private volatile Replication.Start startedFrom;
    private volatile long lastPurgeAt;

    @Override
    public ObjectNode status() {
        ObjectNode n = health().detail();
        n.put("data_dir", config.dataDir().toString());
        ObjectNode ret = n.putObject("retention");
        ret.put("period", smppgw.config.Durations.format(config.store().retention()));
        smppgw.model.PurgeReport last = lastPurge;
        if (last != null) {
            ret.put("last_pass_at", java.time.Instant.ofEpochMilli(lastPurgeAt).toString());
            ret.put("messages", last.messages()).put("mo", last.inbound()).put("files", last.files().size());
        }
        StatusDetail.add(n, dispatchers, draining, config, store, started.stream().map(Part::part).toList(), startedFrom);
        if (smppServer != null) {
            ObjectNode ints = n.putObject("integrators");
            config.clients().stream().filter(c -> c.systemId() != null).forEach(c -> ints.put(c.name(), smppServer.boundCount(c.name())));
        }
        return n;
    }

    @Override
    public boolean pause(String operator) {
        return controls().pause(operator);
    }

    @Override
    public boolean resume(String operator) {
        return controls().resume(operator);
    }

    @Override
    public boolean drain(String operator) {
        return controls().drain(operator);
    }

    private OperatorControls controls() {
        return new OperatorControls(dispatchers, draining);
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
        for (OperatorConfig op : next.operators()) {
            OperatorConfig was = now.operator(op.name());
            if (!op.equals(was)) {
                dispatchers.get(op.name()).reconfigure(op);
                if (!op.binds().equals(was.binds())) {
                    LOG.info("[op:{}] binds reloaded: {}", op.name(), pool.reconfigure(op));
                }
            }
        }
        intake.reconfigure(next.operators());
        clients.update(next.clients());
        config = next;
        LOG.info("configuration reloaded from {}: {}", next.source(), applied.isEmpty() ? "no changes" : applied);
        return applied;
    }

    /** Healthy when the store takes writes and every operator has at least one bind up. */
    public Health health() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        String down = store == null ? "closed" : store.unavailable();
        boolean ok = down == null && (disk == null || !disk.low());
        n.put("store", down != null ? (down.startsWith("disk_full") ? "disk_full" : "unavailable") : disk != null && disk.low() ? "disk_low" : "ok");
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
            Dispatcher d = dispatchers.get(e.getKey());
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

    /** The intake every interface uses (validation, routing, backpressure, store). */
    /** Campaign follow-ups (tests walk them at once instead of waiting for the timer). */
    public smppgw.intake.FollowUps followUps() {
        return followUps;
    }

    public Intake intake() {
        return intake;
    }

    public MessageStore store() {
        return store;
    }

    public SmppClientPool pool() {
        return pool;
    }

    public SmscSimulator simulator() {
        return simulator;
    }

    public Dispatcher dispatcher(String operator) {
        return dispatchers.get(operator);
    }

    /** Stops in reverse start order. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            Part p = started.pop();
            long t0 = System.nanoTime();
            try {
                p.part().close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", p.name(), e.toString());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 200) {
                LOG.info("stopping {} took {} ms", p.name(), ms);
            }
        }
        LOG.info("smppgw stopped");
    }
}
