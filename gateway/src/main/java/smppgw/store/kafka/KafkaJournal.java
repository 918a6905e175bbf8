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

    /** Records nobody waits for (dispatcher events) are copied at least this often. */
    private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);

    /** How often {@code checkpoint} runs (how far notifications were served: what a restore may notify again). */
    private static final long CHECKPOINT_EVERY_NS = TimeUnit.SECONDS.toNanos(2);

    private record Waiting(long index, List<Runnable> answers, long since) {
    }

    private final KafkaStoreConfig config;
    private final LongFunction<JournalTail> tails;
    private final Runnable checkpoint;
    private volatile Runnable settle = () -> { };
    private long nextCheckpoint = System.nanoTime();
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long acked;
    private volatile Exception failed;
    /** Another process runs as this node (its fence has a newer epoch): this one must write nothing more. */
    private volatile String fenced;
    private volatile int generation;
    private final long epoch;
    /** {@link #epoch} as every record's header carries it. */
    private final byte[] epochBytes;
    /** The offset of this process's last acknowledged record (its fence at first); a jump past it is checked for a newer epoch. */
    private volatile long lastOffset;
    /** The topic's last journal index when this process began copying. */
    private final long startedAfter;
    private Runnable done = () -> { };
    /**
     * An acknowledged record of this process's: where a follower may resume (its offset + 1 and its index), or null. Taken
     * by the acknowledgement that follows each {@link #tellProgress} (asked for by {@link #wantProgress}), not by every one.
     */
    private volatile JournalFollower.ResumePoint progress;
    private volatile boolean wantProgress = true;
    private JournalFollower.ResumePoint told;
    private java.util.function.Consumer<JournalFollower.ResumePoint> onProgress = p -> { };
    private volatile long gapFrom = -1;
    private volatile long gapTo = -1;
    /** The last index acknowledged by Kafka while a gap is being checked: it counts as acknowledged only if the check passes. */
    private volatile long held = -1;
    private KafkaProducer<byte[], byte[]> producer;
    private JournalTail tail;
    private long sent;

    private KafkaJournal(KafkaStoreConfig config, LongFunction<JournalTail> tails, Runnable checkpoint, long replicated, JournalTopic.Fence fence) {
        this.config = config;
        this.tails = tails;
        this.checkpoint = checkpoint;
        this.epoch = fence.epoch();
        this.epochBytes = JournalTopic.bytes(epoch);
        this.lastOffset = fence.offset();
        this.acked = replicated;
        this.startedAfter = replicated;
        this.sent = replicated;
        this.thread = new Thread(this::run, "smppgw-kafka-journal");
        this.thread.setDaemon(true);
    }

    /**
     * Makes sure the topic exists with the durability asked for, finds where the copy stopped, and starts copying.
     *
     * @param retention how long the topic keeps records: {@code store.retention}, as the local journal (privacy)
     * @param tails     the journal's records after a given index
     * @param checkpoint run every 2 s on the copying thread (journals how far notifications were served)
     * @throws IllegalStateException Kafka cannot be reached, or the topic is weaker than configured
     */
    public static KafkaJournal start(KafkaStoreConfig config, Duration retention, LongFunction<JournalTail> tails, Runnable checkpoint) {
        JournalTopic.Fence fence = JournalTopic.fence(config, retention); // from here on, a zombie's writes do not count
        long replicated = JournalTopic.lastIndex(config, fence.offset());
        try (JournalTail t = tails.apply(-1)) {
            if (replicated > t.lastIndex()) {
                throw new IllegalStateException("Kafka topic " + config.journalTopic() + " holds journal records up to index " + Long.toHexString(replicated)
                        + " but the local journal ends at " + Long.toHexString(t.lastIndex()) + ": a data directory from an older backup, or "
                        + "another node's cluster.node-id? (move it away, and the node restores its journal from Kafka)");
            }
        }
        LOG.info("journal replicated to Kafka topic {} at {} (replication factor {}, min.insync.replicas {}, epoch {}); copy resumes after index {}",
                config.journalTopic(), config.bootstrap(), config.replicationFactor(), config.minInsyncReplicas(), fence.epoch(),
                replicated < 0 ? "none" : Long.toHexString(replicated));
        KafkaJournal k = new KafkaJournal(config, tails, checkpoint, replicated, fence);
        k.thread.start();
        return k;
    }

    @Override
    public void whenDurable(long index, List<Runnable> answers) {
        if (index <= acked && waiting.isEmpty()) {
            answers.forEach(Runnable::run);
            return;
        }
        waiting.add(new Waiting(index, List.copyOf(answers), System.nanoTime()));
        LockSupport.unpark(thread);
    }

    @Override
    public String stopped() {
        return fenced;
    }

    @Override
    public String behind() {
        if (fenced != null) {
            return fenced;
        }
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

    /**
     * What {@code /admin/status} and {@code smppgw status} show of the copy: the topic, this process's epoch, the last
     * journal index Kafka acknowledged, the answers waiting for Kafka and for how long the oldest has, and what is wrong
     * (null while it keeps up; else the reason intake is refused: fenced, failing, or behind by more than ack-timeout).
     */
    public record Status(String topic, String nodeId, long epoch, long acknowledgedIndex, int waitingAnswers, long oldestWaitMs, String problem) {
    }

    public Status status() {
        Waiting w = waiting.peek();
        int n = 0;
        for (Waiting x : waiting) {
            n += x.answers().size();
        }
        return new Status(config.journalTopic(), config.nodeId(), epoch, acked, n,
                w == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w.since()), behind());
    }

    private void open() {
        producer = new KafkaProducer<>(JournalTopic.producerProps(config));
        tail = tails.apply(acked);
        sent = acked;
    }

    /** The producer and the journal reader are this thread's (a Chronicle tailer is used by the thread that made it). */
    private void run() {
        open();
        while (running && fenced == null) {
            try {
                boolean busy = copy();
                busy |= answer();
                checkGap();
                if (System.nanoTime() - nextCheckpoint >= 0) {
                    nextCheckpoint = System.nanoTime() + CHECKPOINT_EVERY_NS;
                    checkpoint.run();
                    tellProgress();
                }
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
        if (!running && fenced == null && failed == null) { // a clean stop copies all the journal has: whoever takes over reads it
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); copy() && System.nanoTime() < deadline; ) {
                answer();
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
            r.headers().add(JournalTopic.INDEX_HEADER, JournalTopic.bytes(index)).add(JournalTopic.EPOCH_HEADER, epochBytes);
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
                    if (meta.offset() != lastOffset + 1 && gapFrom < 0) { // another writer between two of ours: a newer process?
                        gapTo = meta.offset();
                        gapFrom = lastOffset + 1;
                    }
                    lastOffset = meta.offset();
                    if (gapFrom >= 0) {
                        held = index; // not acknowledged until the gap is found to hold no newer epoch (checkGap)
                        LockSupport.unpark(thread);
                        return;
                    }
                    acked = index; // one partition, idempotent: acknowledged in order
                    if (wantProgress) { // offset and index of one record, read together here, once per tellProgress
                        wantProgress = false;
                        progress = new JournalFollower.ResumePoint(config.journalTopic(), meta.offset() + 1, index);
                    }
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

    /**
     * Records not ours between two of ours: if one carries a newer epoch, another process has taken this node over
     * (this one is a zombie): it stops writing and sending. Its records after the fence are left out by every reader.
     */
    private void checkGap() {
        long from = gapFrom;
        if (from < 0) {
            return;
        }
        if (JournalTopic.newerBetween(config, from, gapTo, epoch)) {
            fenced = "fenced: another process runs as cluster.node-id " + config.nodeId() + " (it took over this node's journal in Kafka);"
                    + " this one takes no more writes and sends nothing: stop it";
            LOG.error("Kafka replication {}", fenced);
            return; // what waits for acknowledgement is never answered
        }
        LOG.warn("Kafka topic {}: records between offsets {} and {} this process did not see acknowledged (a restarted copy) or an"
                + " older process's (left out by readers)", config.journalTopic(), from, gapTo);
        gapFrom = -1;
        acked = Math.max(acked, held);
        LockSupport.unpark(thread);
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

    /**
     * After {@link #close}: where a follower of the topic may resume reading (after this process's last acknowledged
     * record), or null when that cannot be told (it wrote nothing, was fenced, or saw another writer).
     */
    public JournalFollower.ResumePoint resumePoint() {
        if (thread.isAlive() || stopped() != null || gapFrom >= 0 || acked <= startedAfter) {
            return null;
        }
        return new JournalFollower.ResumePoint(config.journalTopic(), lastOffset + 1, acked);
    }

    /**
     * Told every 2 s, on the copying thread, of the first record acknowledged after the previous telling (2 to 4 s old), when
     * it changed and no records of another writer between two of its own are being checked: where this node, back as a
     * standby after a kill -9, may go on following the topic instead of reading it from its beginning. A hint: the
     * follower checks it against the topic.
     */
    public void onProgress(java.util.function.Consumer<JournalFollower.ResumePoint> told) {
        this.onProgress = told;
    }

    private void tellProgress() {
        JournalFollower.ResumePoint p = progress;
        wantProgress = true; // the next acknowledgement is told in 2 s
        if (p != null && p != told && gapFrom < 0 && fenced == null) {
            told = p;
            try {
                onProgress.accept(p);
            } catch (RuntimeException e) {
                LOG.debug("where to resume following: {}", e.toString()); // a hint only (the disk may be full)
            }
        }
    }

    /** Run by {@link #close} before the last copy: lets the journal take in what is still on its way (a barrier). */
    public void beforeClose(Runnable settle) {
        this.settle = settle;
    }

    /** Run by {@link #close} once the copy has stopped. */
    public void afterClose(Runnable done) {
        this.done = done;
    }

    @Override
    public void close() {
        try {
            settle.run();
        } catch (RuntimeException e) {
            LOG.warn("before the last copy to Kafka: {}", e.toString());
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            done.run();
        } catch (RuntimeException e) {
            LOG.warn("after the last copy to Kafka: {}", e.toString());
        }
    }
}
