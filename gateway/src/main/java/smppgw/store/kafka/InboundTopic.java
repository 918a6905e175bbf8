package smppgw.store.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import smppgw.config.KafkaStoreConfig;

/**
 * What a sharded node's binds took for a shard that runs on another node — receipts and handset messages — on its way to
 * that shard's core (docs/cluster.md, step 3): topic {@code <prefix>.inbound.<group>}, one partition per shard, as durable
 * as the journals. The node that took it {@link #send}s it to the shard's partition and answers the SMSC once Kafka has
 * it (acks=all); the core of the shard, wherever it runs, {@link #read}s its partition from the group's committed offset,
 * hands each record to its recorder and commits once they are journaled. A record read again after a kill -9 (taken, not
 * yet committed) is a receipt the core knows as a duplicate, or a handset message recorded twice.
 */
public final class InboundTopic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InboundTopic.class);

    private final KafkaStoreConfig config;
    private final int shards;
    private final KafkaProducer<byte[], byte[]> producer;

    /** Makes the topic when it does not exist yet, and the producer. */
    public InboundTopic(KafkaStoreConfig config, int shards, Duration retention) {
        this.config = config;
        this.shards = shards;
        ensureTopic(retention);
        Properties p = JournalTopic.producerProps(config);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "smppgw-" + config.nodeId() + "-inbound");
        this.producer = new KafkaProducer<>(p);
    }

    /** The topic's name. */
    public String topic() {
        return config.topicPrefix() + ".inbound." + config.failoverGroup();
    }

    private void ensureTopic(Duration retention) {
        try (Admin admin = Admin.create(JournalTopic.common(config))) {
            admin.createTopics(List.of(new NewTopic(topic(), shards, (short) config.replicationFactor())
                    .configs(Map.of("min.insync.replicas", String.valueOf(config.minInsyncReplicas()), "retention.ms",
                            String.valueOf(retention.toMillis()), "compression.type", "uncompressed")))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Kafka at " + config.bootstrap() + ": cannot create topic " + topic() + ": " + e.getCause(), e.getCause());
            }
            int has = partitions();
            if (has != shards) {
                throw new IllegalStateException("failover group " + config.failoverGroup() + " was made with " + has + " shard(s) (Kafka topic "
                        + topic() + "), this node was started with " + shards + ": a group's shards are fixed when it is made");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.bootstrap() + ": cannot create topic " + topic() + " within 30 s", e);
        }
    }

    /** The partitions of the existing topic, once the broker asked knows it (nodes starting together: one made it a moment ago). */
    private int partitions() {
        try (Admin admin = Admin.create(JournalTopic.common(config))) {
            return JournalTopic.partitions(admin, topic());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + config.bootstrap() + ": cannot describe topic " + topic() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + config.bootstrap() + ": cannot describe topic " + topic() + " within 30 s", e);
        }
    }

    /** Puts {@code value} on shard {@code shard}'s partition; completes once Kafka has acknowledged it. */
    public CompletableFuture<Void> send(int shard, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic(), shard, null, value), (meta, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Reads shard {@code shard}'s partition on a thread of its own from where the group committed, handing each record to
     * {@code handler}; commits a batch once every record of it is handled. A record whose handling fails is read again a
     * second later (those after it that were taken are not handed over again).
     */
    public Reader read(int shard, Function<byte[], CompletableFuture<Void>> handler) {
        return new Reader(shard, handler);
    }

    /** One shard's reading, stopped before its core closes. */
    public final class Reader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final TopicPartition partition;
        private final Function<byte[], CompletableFuture<Void>> handler;
        private final Thread thread;
        private volatile boolean running = true;
        /** Records after one that failed that were taken: not handed over again when read again. */
        private final java.util.TreeSet<Long> takenAhead = new java.util.TreeSet<>();

        private Reader(int shard, Function<byte[], CompletableFuture<Void>> handler) {
            Properties p = JournalTopic.common(config);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // nothing committed yet: everything the topic holds
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
            p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, topic()); // offsets only: the partition is assigned, never subscribed
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "smppgw-" + config.nodeId() + "-inbound-" + shard);
            this.consumer = new KafkaConsumer<>(p);
            this.partition = new TopicPartition(topic(), shard);
            this.handler = handler;
            consumer.assign(List.of(partition));
            this.thread = new Thread(this::run, "smppgw-inbound-" + shard);
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    try {
                        readOnce();
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) { // a commit or fetch that failed (a broker lost): read on from what is committed
                        if (!running) {
                            break;
                        }
                        LOG.warn("{}: {}; reading again from the committed offset in a second", partition, e.toString());
                        Thread.sleep(1000);
                        OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
                        if (committed != null) {
                            consumer.seek(partition, committed.offset());
                        } else {
                            consumer.seekToBeginning(List.of(partition));
                        }
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("{}: reading stopped: {}", partition, e.toString(), e);
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        /**
         * One poll: each record handed over (all at once: the core journals them in one batch), then the batch committed
         * up to the first that failed, which is read again a second later; those after it that were taken are remembered
         * and not handed over again.
         */
        private void readOnce() throws InterruptedException {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
            if (batch.isEmpty()) {
                return;
            }
            List<CompletableFuture<Void>> handled = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : batch.records(partition)) {
                CompletableFuture<Void> f;
                if (takenAhead.contains(r.offset())) {
                    f = CompletableFuture.completedFuture(null);
                } else {
                    try {
                        f = handler.apply(r.value());
                    } catch (RuntimeException e) {
                        f = CompletableFuture.failedFuture(e);
                    }
                }
                handled.add(f);
                offsets.add(r.offset());
            }
            long failedAt = -1;
            for (int i = 0; i < handled.size(); i++) {
                try {
                    handled.get(i).get(30, TimeUnit.SECONDS);
                    if (failedAt >= 0) {
                        takenAhead.add(offsets.get(i));
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (failedAt < 0) {
                        failedAt = offsets.get(i);
                        LOG.warn("{}: record {} not taken by its shard ({}); read again in a second", partition, failedAt,
                                e.getCause() == null ? e : e.getCause());
                    }
                }
            }
            long next = failedAt >= 0 ? failedAt : offsets.get(offsets.size() - 1) + 1;
            if (next > offsets.get(0)) {
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
            }
            takenAhead.headSet(next).clear();
            if (failedAt >= 0) {
                consumer.seek(partition, failedAt);
                Thread.sleep(1000);
            }
        }

        /** Stops reading (what was handled is committed); returns once the thread is gone. */
        @Override
        public void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(40));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
