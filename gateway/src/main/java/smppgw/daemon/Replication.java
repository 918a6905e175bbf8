package smppgw.daemon;

import java.util.Optional;

import smppgw.config.KafkaStoreConfig;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.kafka.KafkaJournal;

/** {@code store.type: kafka}: the journal copied to Kafka, and every answer held until Kafka has acknowledged it. */
final class Replication {
    private Replication() {
    }

    /** Nothing for the embedded store; else the copy, started (a restart copies what the last run did not). */
    static Optional<KafkaJournal> start(KafkaStoreConfig kafka, ChronicleMessageStore store) {
        if (kafka == null) {
            return Optional.empty();
        }
        KafkaJournal k = KafkaJournal.start(kafka, store::tail);
        store.durability(k);
        return Optional.of(k);
    }
}
