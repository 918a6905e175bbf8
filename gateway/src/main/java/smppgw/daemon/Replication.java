package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import smppgw.config.GatewayConfig;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.JournalRestore;
import smppgw.store.kafka.JournalTopic;
import smppgw.store.kafka.KafkaJournal;

/** {@code store.type: kafka}: the journal copied to Kafka, every answer held until Kafka has acknowledged it. */
final class Replication {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);

    private Replication() {
    }

    /** The store as {@code config} has it; {@code journalThread} false: a warm standby's copy ({@link WarmStandby}). */
    static ChronicleMessageStore store(GatewayConfig config, java.time.Clock clock, boolean journalThread) {
        java.util.Map<String, String> moRoutes = new java.util.LinkedHashMap<>();
        config.clients().forEach(c -> c.moNumbers().forEach(n -> moRoutes.put(n, c.name())));
        return ChronicleMessageStore.open(config.dataDir(), config.operators().stream().map(smppgw.config.OperatorConfig::name).toList(),
                config.clients().stream().filter(c -> c.notified()).map(c -> c.name()).collect(java.util.stream.Collectors.toSet()),
                moRoutes, config.receiptDomains(), config.receiptIdFormats(), config.operators().stream().collect(java.util.stream.Collectors.toMap(
                        smppgw.config.OperatorConfig::name, o -> o.receipts().queryAfter().toMillis())), config.tracking().replyWindow(), config.store().receiptWindow(),
                config.store().retention(), config.store().maxBatch(), config.store().commandQueue(), clock,
                new smppgw.store.chronicle.StateLog(config.log().privacy(), config.log().stateChanges()), config.defaultCountryCode(),
                new smppgw.policy.Keywords(config.compliance().optOutKeywords(), config.compliance().optInKeywords()), journalThread,
                config.store().kafka() == null ? -1 : config.store().kafka().shard());
    }

    private static void settle(ChronicleMessageStore s) {
        s.barrier().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
    }

    /**
     * How this process's store started ({@code /admin/status} {@code replication.start}).
     *
     * @param journal      {@code local} (the data directory's journal as it was), {@code caught_up} (records another node of
     *                     the group wrote appended from Kafka), {@code restored} (the whole journal written back from Kafka)
     * @param readFromKafka journal records read from the topic and written to the local journal by this start (a warm
     *                     standby copied them before: 0)
     * @param replayed     journal records the state had not seen, applied by this start
     * @param tookMs       from the fence to the store being open
     */
    record Start(String journal, long readFromKafka, long replayed, long tookMs) {
    }

    /**
     * Opens the store; with Kafka, a data directory without a journal whose topic has one (the node's disk was lost, or
     * it runs on another machine now) first gets the journal back from the topic, each record at its own index, and the
     * ordinary recovery then rebuilds the queues and the state from it: what was accepted and not yet sent is sent.
     *
     * @param started told how it went, with Kafka
     */
    static ChronicleMessageStore open(GatewayConfig.StoreConfig store, Path dataDir, Supplier<ChronicleMessageStore> open,
                                      java.util.function.Consumer<Start> started) {
        boolean group = store.kafka() != null && store.kafka().failoverGroup() != null;
        if (store.kafka() == null || !group && !JournalRestore.empty(dataDir)) {
            return open.get();
        }
        long start = System.nanoTime();
        String journal = "local";
        long read = 0;
        // fenced first: what an older process still running as this node writes from now on is left out of the copy
        JournalTopic.Fence fence = JournalTopic.fence(store.kafka(), store.retention());
        JournalTopic.Last last = JournalTopic.last(store.kafka(), fence.offset());
        if (group && last.index() >= 0 && !JournalRestore.empty(dataDir) && !java.util.Arrays.equals(last.data(), JournalRestore.record(dataDir, last.index()))) {
            // another node of the group went on: from where this one's journal ends (caught up), or from before (set aside)
            long t0 = System.nanoTime();
            long n = JournalRestore.catchUp(dataDir, v -> JournalTopic.readAll(store.kafka(), fence.offset(), v));
            if (n >= 0) {
                journal = "caught_up";
                read = n;
                LOG.warn("caught up with the failover group: {} journal records other nodes wrote appended from Kafka topic {} in {} ms",
                        n, store.kafka().journalTopic(), (System.nanoTime() - t0) / 1_000_000);
            } else {
                LOG.warn("the local journal is not the failover group's (it went on differently, or the topic no longer holds its end): set aside in {}",
                        JournalRestore.setAside(dataDir));
            }
        }
        if (JournalRestore.empty(dataDir) && last.index() >= 0) {
            long t0 = System.nanoTime();
            long n = JournalRestore.restore(dataDir, v -> JournalTopic.readAll(store.kafka(), fence.offset(), v));
            journal = "restored";
            read = n;
            LOG.warn("no journal in the data directory: restored {} journal records from Kafka topic {} in {} ms; rebuilding the state from them",
                    n, store.kafka().journalTopic(), (System.nanoTime() - t0) / 1_000_000);
        }
        ChronicleMessageStore s = open.get();
        started.accept(new Start(journal, read, s.replayedAtOpen(), (System.nanoTime() - start) / 1_000_000));
        return s;
    }

    /**
     * Nothing for the embedded store; else the copy, started (a restart copies what the last run did not), with its
     * gauges: answers waiting for Kafka, the oldest's wait, and whether this process was fenced.
     */
    static Optional<KafkaJournal> start(GatewayConfig.StoreConfig store, ChronicleMessageStore s, smppgw.metrics.Metrics metrics, Path dataDir) {
        if (store.kafka() == null) {
            return Optional.empty();
        }
        Runnable checkpoint = smppgw.store.chronicle.ServedNotifications.checkpoints(s);
        KafkaJournal k = KafkaJournal.start(store.kafka(), store.retention(), s::tail, checkpoint);
        s.durability(k);
        k.beforeClose(() -> { // what is on its way, the notification readers' last positions included, then how far they served:
            settle(s);        // the node that runs this journal next notifies only what came after (a shard handed over, a clean stop)
            checkpoint.run();
            settle(s);
        });
        if (store.kafka().failoverGroup() != null && store.kafka().warmStandby()) { // standing by next, this node follows from its last record
            k.afterClose(() -> java.util.Optional.ofNullable(k.resumePoint()).ifPresent(p -> p.save(dataDir)));
            k.onProgress(p -> p.save(dataDir)); // and while it runs: after a kill -9 it goes on from a few seconds before its end
        }
        List<KafkaJournal> ks = List.of(k);
        metrics.gauge("smppgw_replication_waiting_answers", "answers (202, submit_sm_resp, deliver_sm_resp) waiting for Kafka to "
                + "acknowledge their journal records", "topic", ks, j -> j.status().topic(), j -> j.status().waitingAnswers());
        metrics.gauge("smppgw_replication_oldest_wait_seconds", "how long the oldest answer has waited for Kafka (0: none waits)", "topic", ks,
                j -> j.status().topic(), j -> j.status().oldestWaitMs() / 1000.0);
        metrics.gauge("smppgw_replication_fenced", "1 once another process runs as this cluster.node-id: this one writes nothing more", "topic",
                ks, j -> j.status().topic(), j -> j.stopped() == null ? 0 : 1);
        return Optional.of(k);
    }
}
