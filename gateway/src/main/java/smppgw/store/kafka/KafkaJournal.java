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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

import smppgw.config.KafkaStoreConfig;
import smppgw.journal.Durability;
import smppgw.store.JournalTail;

/**
 * {@code store.type: kafka}, first step (docs/cluster.md): this node's journal replicated to a Kafka topic
 * ({@code <prefix>.journal.<node-id>}, one partition, {@code acks=all}, idempotent producer, the topic's
 * {@code min.insync.replicas}), and nothing answered — no 202, no submit_sm_resp, no deliver_sm_resp — until every
 * journal record up to the answer's batch is acknowledged by Kafka. One thread copies the journal's records in order
 * (each with its journal index in a header) and gives the answers whose records are acknowledged.
 * <p>
 * At start it reads the topic's last record to learn where the copy stopped, and copies the rest: a crash between a
 * local write and Kafka's acknowledgement leaves that record unanswered, never missing from Kafka. A produce that
 * fails (Kafka unreachable past the producer's delivery timeout) restarts the copy from the last acknowledged
 * record: the topic may then hold a record twice, with the same index (readers keep the first). While records wait
 * longer than {@code ack-timeout}, new intake is refused ({@link #behind()}: 503 {@code store_unavailable}).
 */
public final class KafkaJournal implements Durability, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaJournal.class);
    /** The record header holding the journal index (8 bytes, big-endian). */
    public static final String INDEX_HEADER = "smppgw-index";
    /** Records nobody waits for (dispatcher events) are copied at least this often. */
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private record Waiting(long index, List<Runnable> answers, long since) {
    }

    private final KafkaStoreConfig config;
    private final LongFunction<JournalTail> tails;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long acked;
    private volatile Exception failed;
    private volatile int generation;
    private KafkaProducer<byte[], byte[]> producer;
    private JournalTail tail;
    private long sent;

    private KafkaJournal(KafkaStoreConfig config, LongFunction<JournalTail> tails, long replicated) {
        this.config = config;
        this.tails = tails;
        this.acked = replicated;
        this.sent = replicated;
        this.thread = new Thread(this::run, "smppgw-kafka-journal");
        this.thread.setDaemon(true);
    }

    /**
     * Makes sure the topic exists with the durability asked for, finds where the copy stopped, and starts copying.
     *
     * @param retention how long the topic keeps records: {@code store.retention}, as the local journal (privacy)
     * @param tails     the journal's records after a given index
     * @throws IllegalStateException Kafka cannot be reached, or the topic is weaker than configured
     */
    public static KafkaJournal start(KafkaStoreConfig config, Duration retention, LongFunction<JournalTail> tails) {
        ensureTopic(config, retention);
        long replicated = lastReplicated(config);
        try (JournalTail t = tails.apply(-1)) {
            if (replicated > t.lastIndex()) {
                throw new IllegalStateException("Kafka topic " + config.journalTopic() + " holds journal records up to index " + Long.toHexString(replicated)
                        + " but the local journal ends at " + Long.toHexString(t.lastIndex()) + ": was the data directory replaced? "
                        + "(another node's cluster.node-id, or a restore from Kafka, which is not built yet)");
            }
        }
        LOG.info("journal replicated to Kafka topic {} at {} (replication factor {}, min.insync.replicas {}); copy resumes after index {}",
                config.journalTopic(), config.bootstrap(), config.replicationFactor(), config.minInsyncReplicas(),
                replicated < 0 ? "none" : Long.toHexString(replicated));
        KafkaJournal k = new KafkaJournal(config, tails, replicated);
        k.thread.start();
        return k;
    }

    @Override
    public void whenDurable(long index, List<Runnable> answers) {
        if (index <= acked && waiting.isEmpty()) {
            answers.forEach(Runnable::run);
            return;
        }
        waiting.add(new Waiting(index, answers, System.nanoTime()));
        LockSupport.unpark(thread);
    }

    @Override
    public String behind() {
        Exception f = failed;
        if (f != null) {
            return "Kafka replication failed: " + f.getMessage();
        }
        Waiting w = waiting.peek();
        if (w != null && System.nanoTime() - w.since > config.ackTimeout().toNanos()) {
            return "Kafka has not acknowledged the journal for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w.since) + " ms";
        }
        return null;
    }

    /** The last journal index Kafka has acknowledged (-1: none). */
    public long acknowledged() {
        return acked;
    }

    private void open() {
        producer = new KafkaProducer<>(producerProps(config));
        tail = tails.apply(acked);
        sent = acked;
    }

    /** The producer and the journal reader are this thread's (a Chronicle tailer is used by the thread that made it). */
    private void run() {
        open();
        while (running) {
            try {
                boolean busy = copy();
                busy |= answer();
                if (failed != null) {
                    restart();
                    continue;
                }
                if (!busy) { // woken by new answers (whenDurable) and by acknowledgements answers wait for
                    LockSupport.parkNanos(this, IDLE_PARK_NS);
                }
            } catch (RuntimeException e) {
                LOG.error("Kafka replication: {}; restarting the copy from index {}", e.toString(), Long.toHexString(acked));
                failed = e;
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
            }
        }
        producer.close(Duration.ofSeconds(5)); // what was sent is given its chance to be acknowledged
        tail.close();
    }

    /** Sends what the journal has beyond what was sent (a bounded run, so answers are not held back). */
    private boolean copy() {
        int n = 0;
        int gen = generation;
        while (n < 1024 && tail.next((index, data) -> {
            if (index <= sent) {
                return; // already copied (the tail restarted at an acknowledged record)
            }
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(config.journalTopic(), 0, null, data);
            r.headers().add(INDEX_HEADER, ByteBuffer.allocate(8).putLong(index).array());
            producer.send(r, (meta, err) -> {
                if (gen != generation) {
                    return; // a producer closed for a restart
                }
                if (err != null) {
                    if (failed == null) {
                        LOG.error("Kafka did not acknowledge journal index {}: {}", Long.toHexString(index), err.toString());
                    }
                    failed = err;
                } else if (index > acked) {
                    acked = index; // one partition, idempotent: acknowledged in order
                    if (!waiting.isEmpty()) {
                        LockSupport.unpark(thread);
                    }
                }
            });
            sent = index;
        })) {
            n++;
        }
        return n > 0;
    }

    /** Gives the answers whose records are all acknowledged. */
    private boolean answer() {
        boolean any = false;
        for (Waiting w = waiting.peek(); w != null && w.index <= acked; w = waiting.peek()) {
            waiting.poll();
            w.answers.forEach(Runnable::run);
            any = true;
        }
        return any;
    }

    private void restart() {
        generation++;
        producer.close(Duration.ZERO);
        tail.close();
        LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        open();
        LOG.warn("Kafka replication restarted after index {}", Long.toHexString(acked));
        failed = null;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Properties producerProps(KafkaStoreConfig c) {
        Properties p = common(c);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // 2 ms: fewer, larger produce requests; measured (BENCHMARKS.md) 1.5x the rate, 30% less gateway CPU and half the
        // brokers' CPU per message, and a lower accept latency than 0 on a busy machine, where the brokers compete for the same cores
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "smppgw-" + c.nodeId() + "-journal");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private static Properties common(KafkaStoreConfig c) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrap());
        return p;
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
            TopicDescription d = admin.describeTopics(List.of(c.journalTopic())).allTopicNames().get(30, TimeUnit.SECONDS).get(c.journalTopic());
            int rf = d.partitions().get(0).replicas().size();
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, c.journalTopic());
            Config cfg = admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
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

    /** The journal index of the topic's last record (-1: empty). */
    static long lastReplicated(KafkaStoreConfig c) {
        Properties p = common(c);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition tp = new TopicPartition(c.journalTopic(), 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long begin = consumer.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            if (end <= begin) {
                return -1;
            }
            consumer.seek(tp, end - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    return index(r);
                }
            }
            throw new IllegalStateException("Kafka topic " + c.journalTopic() + ": its last record could not be read in 30 s");
        }
    }

    /**
     * Every record of the topic, in order, to {@code visitor} (a record there twice comes twice, with the same index).
     *
     * @return how many were read
     */
    public static long readAll(KafkaStoreConfig c, JournalTail.Visitor visitor) {
        Properties p = common(c);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        TopicPartition tp = new TopicPartition(c.journalTopic(), 0);
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end) {
                        visitor.record(index(r), r.value());
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Whether the topic exists and holds a record. */
    public static boolean hasRecords(KafkaStoreConfig c) {
        try (Admin admin = Admin.create(common(c))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(c.journalTopic())) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching Kafka", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + c.bootstrap() + " cannot be reached: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        return lastReplicated(c) >= 0;
    }

    /** The journal index a record of the topic carries. */
    public static long index(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader(INDEX_HEADER);
        if (h == null || h.value().length != 8) {
            throw new IllegalStateException("record " + r.offset() + " of " + r.topic() + " has no " + INDEX_HEADER + " header: not a smppgw journal");
        }
        return ByteBuffer.wrap(h.value()).getLong();
    }
}
