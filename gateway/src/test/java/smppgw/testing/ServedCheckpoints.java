package smppgw.testing;

import com.fasterxml.jackson.databind.JsonNode;

import smppgw.config.KafkaStoreConfig;
import smppgw.store.kafka.JournalTopic;

/** What a journal topic in Kafka says of how far each client's notifications were served (its SERVED records). */
public final class ServedCheckpoints {
    private ServedCheckpoints() {
    }

    /** The journal index of the last record in the topic that is not a SERVED record (-1: none). */
    public static long lastIndexNotServed(KafkaStoreConfig topic) {
        long[] last = {-1};
        JournalTopic.readAll(topic, Long.MAX_VALUE, (index, value) -> {
            if (value[0] != 'S') {
                last[0] = Math.max(last[0], index);
            }
        });
        return last[0];
    }

    /** The newest SERVED record of {@code client} in the topic: the journal index its notifications were served through, or -1. */
    public static long servedThrough(KafkaStoreConfig topic, String client) {
        long[] through = {-1};
        JournalTopic.readAll(topic, Long.MAX_VALUE, (index, value) -> {
            if (value[0] == 'S') {
                try {
                    JsonNode n = Http.JSON.readTree(value, 1, value.length - 1);
                    if (n.get("client").asText().equals(client)) {
                        through[0] = n.get("through").asLong();
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return through[0];
    }
}
