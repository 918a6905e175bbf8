package smppgw.store.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;

import smppgw.config.KafkaStoreConfig;
import smppgw.store.JournalTail;

/**
 * Follows a failover group's journal topic while this node stands by (a warm standby): one long-lived consumer whose
 * position and reading rule ({@link JournalTopic}'s epochs, each index once) are kept between reads, so every record
 * is read once however long the node stands by. One thread uses it.
 */
public final class JournalFollower implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStoreConfig config;
    private final TopicPartition tp;
    private KafkaConsumer<byte[], byte[]> consumer;
    private JournalTopic.Rule rule;
    private long position;
    private boolean exists;

    public JournalFollower(KafkaStoreConfig config) {
        this.config = config;
        this.tp = JournalTopic.partition(config);
        rewind();
    }

    /** Reads the topic from its beginning again, as a new reader would (the local copy was set aside). */
    public void rewind() {
        if (consumer == null) {
            consumer = JournalTopic.consumer(config);
        }
        consumer.seekToBeginning(List.of(tp));
        rule = new JournalTopic.Rule(null);
        position = -1;
    }

    /**
     * Hands {@code visitor} the records a reader keeps from where the last read stopped to the topic's end as of now,
     * or to {@code maxRecords} records of the topic, whichever comes first.
     *
     * @return how many records of the topic were read (kept or not)
     */
    public long read(long maxRecords, JournalTail.Visitor visitor) {
        if (!exists()) {
            return 0; // no node of the group has served yet
        }
        rule.kept = visitor;
        long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
        long read = 0;
        while (consumer.position(tp, TIMEOUT) < end && read < maxRecords) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                rule.accept(r);
                position = r.offset() + 1;
                read++;
            }
        }
        return read;
    }

    /**
     * Where a new follower of this topic may start instead of its beginning: the offset after the last record kept, and
     * that record's journal index (null: none kept yet). Valid for a local journal that ends with that very record.
     */
    public ResumePoint resumePoint() {
        return rule.lastKeptOffset < 0 ? null : new ResumePoint(config.journalTopic(), rule.lastKeptOffset + 1, rule.lastIndex);
    }

    /**
     * Starts from {@code p} instead of the topic's beginning if the topic's record before it is the journal record
     * {@code index} as {@code localRecord} holds it (the local journal's record at that index); else from the beginning.
     *
     * @return whether it resumed
     */
    public boolean resume(ResumePoint p, byte[] localRecord) {
        rewind();
        if (p == null || localRecord == null || !p.topic().equals(config.journalTopic()) || !exists()) {
            return false;
        }
        long begin = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
        long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
        if (p.offset() - 1 < begin || p.offset() > end) {
            return false; // gone with retention, or not this topic's history
        }
        consumer.seek(tp, p.offset() - 1);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() == p.offset() - 1 && r.headers().lastHeader(JournalTopic.FENCE_HEADER) == null && JournalTopic.index(r) == p.index()
                        && java.util.Arrays.equals(r.value(), localRecord)) {
                    rule.newest = JournalTopic.epoch(r);
                    rule.lastIndex = p.index();
                    rule.lastKeptOffset = r.offset();
                    position = p.offset();
                    consumer.seek(tp, p.offset());
                    return true;
                }
                rewind();
                return false;
            }
        }
        rewind();
        return false;
    }

    private boolean exists() {
        return exists || (exists = !consumer.partitionsFor(tp.topic(), TIMEOUT).isEmpty());
    }

    /**
     * A place in a journal topic to go on reading from: {@code offset} follows the record of journal index {@code index}.
     * Saved in the data directory ({@value #FILE}) by a standby as it follows, and by an active node every 2 s and when it
     * stops cleanly.
     */
    public record ResumePoint(String topic, long offset, long index) {
        static final String FILE = "journal-follow.properties";

        /** The point saved in {@code dataDir}, or null. */
        public static ResumePoint load(java.nio.file.Path dataDir) {
            java.nio.file.Path f = dataDir.resolve(FILE);
            if (!java.nio.file.Files.exists(f)) {
                return null;
            }
            try (java.io.Reader in = java.nio.file.Files.newBufferedReader(f)) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return new ResumePoint(p.getProperty("topic"), Long.parseLong(p.getProperty("offset")), Long.parseLong(p.getProperty("index")));
            } catch (java.io.IOException | RuntimeException e) {
                return null; // a hint only: the topic is read from its beginning
            }
        }

        public void save(java.nio.file.Path dataDir) {
            java.nio.file.Path tmp = dataDir.resolve(FILE + ".tmp");
            try {
                java.nio.file.Files.writeString(tmp, "topic=" + topic + "\noffset=" + offset + "\nindex=" + index + "\n");
                java.nio.file.Files.move(tmp, dataDir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
            }
        }
    }

    /** How many records the topic holds beyond those read (as of now). */
    public long behind() {
        if (!exists) {
            return 0;
        }
        long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
        return Math.max(0, end - Math.max(position, consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp)));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
