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
        if (!exists && !(exists = !consumer.partitionsFor(tp.topic(), TIMEOUT).isEmpty())) {
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
