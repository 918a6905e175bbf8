package smppgw.store.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import smppgw.config.KafkaStoreConfig;
import smppgw.store.JournalTail;

/**
 * A node's journal topic ({@code <prefix>.journal.<node-id>}, one partition) and the rule every reader applies to it.
 * <p>
 * Each record carries its journal index ({@link #INDEX_HEADER}) and the epoch of the process that wrote it
 * ({@link #EPOCH_HEADER}). A process taking the node over first writes a <em>fence</em> (an empty record with its
 * epoch and {@link #FENCE_HEADER}): a reader, going through the topic in order, keeps a record only if its epoch is at
 * least the highest epoch seen before it, and the first record of each index. So whatever an older process that is
 * still alive (a zombie) writes after the fence is left out by every reader, and the zombie, seeing a newer epoch among
 * the offsets between its own records, stops.
 */
public final class JournalTopic {
    public static final String INDEX_HEADER = "smppgw-index";
    public static final String EPOCH_HEADER = "smppgw-epoch";
    public static final String FENCE_HEADER = "smppgw-fence";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A process's claim on the topic: its epoch, and the offset of its fence record. */
    public record Fence(long epoch, long offset) {
    }

    private JournalTopic() {
    }

    static Properties common(KafkaStoreConfig c) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
        return p;
    }

    /**
     * The partitions of an existing topic, once the broker asked knows it (nodes starting together: one made it a moment
     * ago; asked again for up to 30 s).
     */
    static int partitions(Admin admin, String topic) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    static Properties producerProps(KafkaStoreConfig c) {
        Properties p = common(c);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // 2 ms: fewer, larger produce requests; measured (BENCHMARKS.md) 1.5x the rate, 30% less gateway CPU and half the
        // brokers' CPU per message, and a lower accept latency than 0 on a busy machine where the brokers share the cores
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "smppgw-" + c.nodeId() + "-journal");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    static KafkaConsumer<byte[], byte[]> consumer(KafkaStoreConfig c) {
        Properties p = common(c);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        // a reader never makes the topic: a broker would with its defaults (replication factor 1), which the writer then refuses
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        consumer.assign(List.of(partition(c)));
        return consumer;
    }

    static TopicPartition partition(KafkaStoreConfig c) {
        return new TopicPartition(c.journalTopic(), 0);
    }

    /**
     * Makes sure the topic exists as durable as configured, and writes this process's fence: from its offset on, only
     * this process's records (or a later one's) count.
     *
     * @param retention how long the topic keeps records: {@code store.retention}, as the local journal (privacy)
     */
    public static Fence fence(KafkaStoreConfig c, Duration retention) {
        ensureTopic(c, retention);
        long[] newest = {0};
        scan(c, Long.MIN_VALUE, Long.MAX_VALUE, 256, r -> newest[0] = Math.max(newest[0], epoch(r)));
        long epoch = Math.max(System.currentTimeMillis(), newest[0] + 1);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerProps(c))) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(c.journalTopic(), 0, null, new byte[0]);
            r.headers().add(EPOCH_HEADER, bytes(epoch)).add(FENCE_HEADER, new byte[0]);
            RecordMetadata m = p.send(r).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Fence(epoch, m.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fencing " + c.journalTopic(), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot write to " + c.journalTopic() + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** The journal index of the last record a reader keeps before offset {@code before} (-1: none). */
    public static long lastIndex(KafkaStoreConfig c, long before) {
        return last(c, before).index();
    }

    /** A journal record as the topic holds it (index -1: none). */
    public record Last(long index, byte[] data) {
    }

    /** The last record a reader keeps before offset {@code before}. */
    public static Last last(KafkaStoreConfig c, long before) {
        Last[] last = {new Last(-1, null)};
        scan(c, Long.MIN_VALUE, before, 2048, new Rule((index, data) -> {
            if (index > last[0].index()) {
                last[0] = new Last(index, data);
            }
        }));
        return last[0];
    }

    /**
     * The records a reader keeps before offset {@code before}, in order, each index once.
     *
     * @return how many
     */
    public static long readAll(KafkaStoreConfig c, long before, JournalTail.Visitor visitor) {
        long[] n = {0};
        scan(c, Long.MIN_VALUE, before, Long.MAX_VALUE, new Rule((index, data) -> {
            visitor.record(index, data);
            n[0]++;
        }));
        return n[0];
    }

    /** Whether a record with an epoch newer than {@code epoch} (a fence or a record) lies in offsets [from, to). */
    static boolean newerBetween(KafkaStoreConfig c, long from, long to, long epoch) {
        boolean[] newer = {false};
        scan(c, from, to, Long.MAX_VALUE, r -> newer[0] |= epoch(r) > epoch);
        return newer[0];
    }

    /** What every reader keeps: records (not fences) whose epoch is at least the newest seen before them, each index once. */
    static final class Rule implements java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> {
        JournalTail.Visitor kept;
        long newest;
        long lastIndex = Long.MIN_VALUE;
        /** The offset of the last record kept (-1: none yet). */
        long lastKeptOffset = -1;

        Rule(JournalTail.Visitor kept) {
            this.kept = kept;
        }

        @Override
        public void accept(ConsumerRecord<byte[], byte[]> r) {
            long e = epoch(r);
            if (e < newest) {
                return; // a zombie's, after a newer process fenced it
            }
            newest = e;
            if (r.headers().lastHeader(FENCE_HEADER) != null) {
                return;
            }
            long index = index(r);
            if (index > lastIndex) { // a record sent twice (a restart of the copy) comes with the same index
                lastIndex = index;
                lastKeptOffset = r.offset();
                kept.record(index, r.value());
            }
        }
    }

    /**
     * Visits the records in offsets [from, to) ({@code MIN_VALUE}: the beginning; {@code MAX_VALUE}: the end as of now),
     * or only the last {@code window} of them.
     */
    private static void scan(KafkaStoreConfig c, long from, long to, long window, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> visit) {
        TopicPartition tp = partition(c);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(c)) {
            long begin = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
            long end = Math.min(to, consumer.endOffsets(List.of(tp), TIMEOUT).get(tp));
            long start = Math.max(Math.max(begin, from), window == Long.MAX_VALUE ? begin : end - window);
            if (start >= end) {
                return;
            }
            consumer.seek(tp, start);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (consumer.position(tp, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka topic " + c.journalTopic() + " could not be read to offset " + end + " in 10 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end) {
                        visit.accept(r);
                    }
                }
            }
        }
    }

    /** The journal index a record carries. */
    public static long index(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(INDEX_HEADER);
        if (h == null || h.value().length != 8) {
            throw new IllegalStateException("record " + r.offset() + " of " + r.topic() + " has no " + INDEX_HEADER + " header: not a smppgw journal");
        }
        return ByteBuffer.wrap(h.value()).getLong();
    }

    /** The epoch of the process that wrote a record (0 for one written without). */
    static long epoch(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(EPOCH_HEADER);
        return h == null || h.value().length != 8 ? 0 : ByteBuffer.wrap(h.value()).getLong();
    }

    static byte[] bytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    /** Creates the topic (one partition, kept as long as the local journal) or checks an existing one is at least as durable as configured. */
    static void ensureTopic(KafkaStoreConfig c, Duration retention) {
        try (Admin admin = Admin.create(common(c))) {
            NewTopic t = new NewTopic(c.journalTopic(), 1, (short) c.replicationFactor())
                    .configs(Map.of("min.insync.replicas", String.valueOf(c.minInsyncReplicas()), "retention.ms", String.valueOf(retention.toMillis()),
                            "compression.type", "uncompressed")); // no codec is shipped (gateway/pom.xml)
            try {
                admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription d = null;
            Config cfg = null;
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, c.journalTopic());
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); cfg == null; ) {
                try {
                    d = admin.describeTopics(List.of(c.journalTopic())).allTopicNames().get(30, TimeUnit.SECONDS).get(c.journalTopic());
                    cfg = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200); // a topic just created is not yet known to every broker
                }
            }
            int rf = d.partitions().get(0).replicas().size();
            ConfigEntry isr = cfg.get("min.insync.replicas");
            int minIsr = isr == null ? 1 : Integer.parseInt(isr.value());
            if (rf < c.replicationFactor() || minIsr < c.minInsyncReplicas()) {
                throw new IllegalStateException("Kafka topic " + c.journalTopic() + " has replication factor " + rf + " and min.insync.replicas "
                        + minIsr + ", weaker than store.kafka asks (" + c.replicationFactor() + ", " + c.minInsyncReplicas() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("Kafka at " + c.bootstrap() + ": cannot create or check topic " + c.journalTopic() + ": " + cause, cause);
        }
    }
}
