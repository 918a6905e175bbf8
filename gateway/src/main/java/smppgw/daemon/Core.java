package smppgw.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.receipt.ReceiptRecorder;
import smppgw.smpp.SmppClientPool;
import smppgw.store.chronicle.ChronicleMessageStore;

/**
 * One journal and everything that decides on it or reads it: the store (with its copy to Kafka), the receipt recorder,
 * a dispatcher per operator, intake with its backpressure, webhooks, campaign follow-ups, opt-out replies and the disk
 * guard. The gateway runs one over its listeners and binds; a node of a sharded group is to run one per shard it is
 * given (docs/cluster.md, "Step 2 revisited").
 *
 * <p>Two phases, so that the binds start and stop between them as they always have: {@link #open} the store and the
 * recorder the binds hand receipts to, then {@link #serve} over the binds; {@link #stopServing} drains the dispatchers
 * while the binds are still up, {@link #close} closes the store once they are down.
 */
final class Core implements AutoCloseable {
    private static final long DRAIN_MS = 10_000;
    /** How often campaigns are walked for follow-ups that are due. */
    private static final long FOLLOW_UP_EVERY_MS = 30_000;

    private volatile GatewayConfig config;
    private final Clock clock;
    private final smppgw.metrics.Metrics metrics;
    private final Parts storeParts = new Parts();
    private final Parts serving = new Parts();
    private final Map<String, Dispatcher> dispatchers = new LinkedHashMap<>();
    private final Map<String, smppgw.notify.Webhooks> webhooks = new LinkedHashMap<>();
    private final Set<String> draining = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private ChronicleMessageStore store;
    private ReceiptRecorder recorder;
    private Intake intake;
    private smppgw.intake.FollowUps followUps;
    private DiskGuard disk;
    private volatile Replication.Start startedFrom;
    /** The last retention pass (null before the first) and when it ended. */
    private volatile smppgw.model.PurgeReport lastPurge;
    private volatile long lastPurgeAt;

    Core(GatewayConfig config, Clock clock, smppgw.metrics.Metrics metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Opens the store (restored or caught up from Kafka first when it must be) and the recorder receipts go to. */
    void open() {
        store = storeParts.push("store", Replication.open(config.store(), config.dataDir(), () -> Replication.store(config, clock, true),
                s -> startedFrom = s));
        Replication.start(config.store(), store, metrics, config.dataDir()).ifPresent(k -> storeParts.push("kafka replication", k));
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
        recorder = new ReceiptRecorder(store, clock, metrics, config.store().kafka() == null ? -1 : config.store().kafka().shard());
    }

    /**
     * Starts deciding and sending over {@code pool}'s binds: dispatchers, intake, webhooks, follow-ups, opt-out replies, the
     * disk guard.
     *
     * @param usableDisk free space of the data directory (null: ask the filesystem)
     */
    void serve(SmppClientPool pool, Clients clients, java.util.function.LongSupplier usableDisk) {
        for (OperatorConfig op : config.operators()) {
            Dispatcher d = new Dispatcher(op, store, pool.binds(op.name()), clock, metrics);
            serving.push("capacity of " + op.name(), pool.binds(op.name()).onCapacity(d::wake)); // the binds are the node's: they outlive this core
            dispatchers.put(op.name(), d.start());
            serving.push("dispatcher " + op.name(), () -> d.drainAndStop(DRAIN_MS));
        }
        intake = new Intake(store, config.operators(), config.defaultCountryCode(), config.compliance(), config.tracking(),
                this::backpressure, (op, n) -> dispatchers.get(op).queued(n), clock);
        for (smppgw.config.ClientConfig c : config.clients()) {
            if (c.webhookUrl() != null) {
                webhooks.put(c.name(), serving.push("webhooks " + c.name(), new smppgw.notify.Webhooks(c, store).start()));
            }
        }
        smppgw.config.KafkaStoreConfig k = config.store().kafka();
        if (k != null && k.shards() > 1) {
            intake.shard(k.shard(), k.shards()); // its links' tokens and promo codes tell any node this shard
        }
        intake.defaultClasses(clients::defaultClass);
        boolean blockTransactional = config.compliance().blockTransactional();
        intake.blockTransactional(c -> clients.byName(c).map(smppgw.config.ClientConfig::blockTransactional).orElse(blockTransactional));
        String optOutReply = config.compliance().optOutReply();
        followUps = serving.push("follow-ups", new smppgw.intake.FollowUps(store, intake).start(FOLLOW_UP_EVERY_MS));
        smppgw.intake.OptOutReplies replies = new smppgw.intake.OptOutReplies(intake, store,
                c -> clients.byName(c).map(smppgw.config.ClientConfig::optOutReply).orElse(optOutReply));
        recorder.onJournaled(replies::journaled);
        disk = serving.push("disk guard", new DiskGuard(usableDisk != null ? usableDisk : DiskGuard.usableSpace(config.dataDir()),
                config.store().minFreeDiskMb() << 20, () -> {
                    store.lowSpace(disk.low());
                    dispatchers.values().forEach(d -> d.hold(disk.low()));
                }).start());
    }

    /**
     * Refuses a message (429) when its operator's backlog, or all operators' together, is at its bound; 503 while the disk
     * is low or the operator drains.
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

    /** {@code /admin/status}: retention, the operators' admin state and counts, the copy to Kafka. */
    void status(ObjectNode n) {
        ObjectNode ret = n.putObject("retention");
        ret.put("period", smppgw.config.Durations.format(config.store().retention()));
        smppgw.model.PurgeReport last = lastPurge;
        if (last != null) {
            ret.put("last_pass_at", java.time.Instant.ofEpochMilli(lastPurgeAt).toString());
            ret.put("messages", last.messages()).put("mo", last.inbound()).put("files", last.files().size());
        }
        StatusDetail.add(n, dispatchers, draining, config, store, storeParts.all(), startedFrom);
    }

    /** A reload: the dispatchers of the operators that changed, intake's routes and encodings, the bounds backpressure reads. */
    void reconfigure(GatewayConfig next) {
        for (OperatorConfig op : next.operators()) {
            if (!op.equals(config.operator(op.name()))) {
                dispatchers.get(op.name()).reconfigure(op);
            }
        }
        intake.reconfigure(next.operators());
        config = next;
    }

    /** Why the store takes no writes now, or null. */
    String unavailable() {
        return store == null ? "closed" : store.unavailable();
    }

    boolean diskLow() {
        return disk != null && disk.low();
    }

    OperatorControls controls() {
        return new OperatorControls(dispatchers, draining);
    }

    ChronicleMessageStore store() {
        return store;
    }

    ReceiptRecorder recorder() {
        return recorder;
    }

    smppgw.metrics.Metrics metrics() {
        return metrics;
    }

    Intake intake() {
        return intake;
    }

    smppgw.intake.FollowUps followUps() {
        return followUps;
    }

    Map<String, Dispatcher> dispatchers() {
        return dispatchers;
    }

    Map<String, smppgw.notify.Webhooks> webhooks() {
        return webhooks;
    }

    /** Stops deciding and sending (the dispatchers drain what is in flight); the store stays open. */
    void stopServing() {
        serving.close();
    }

    /** Stops serving if it still does, then closes the store and its copy to Kafka. */
    @Override
    public void close() {
        serving.close();
        storeParts.close();
    }
}
