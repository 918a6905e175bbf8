package smppgw.store.kafka;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import smppgw.config.KafkaStoreConfig;
import smppgw.testing.Await;
import smppgw.testing.KafkaCluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The inbound topic of a sharded group on real brokers: what a node forwards to a shard is read by that shard's reader in
 * order; a record its shard could not take is read again (not those after it that were taken), and what was taken and committed is not
 * read again by the next reader of the shard (the shard moved).
 */
class InboundTopicTest {
    @Test
    void eachShardReadsItsRecordsInOrderAgainAfterAFailureAndNotAgainOnceCommitted() throws Exception {
        KafkaCluster kafka = KafkaCluster.shared();
        KafkaStoreConfig c = new KafkaStoreConfig(kafka.bootstrap(), KafkaCluster.prefix(), 3, 2, false, Duration.ofSeconds(10), "gw1", "g",
                Duration.ofSeconds(6), null);
        try (InboundTopic topic = new InboundTopic(c, 4, Duration.ofDays(1))) {
            for (String v : List.of("one", "two", "three")) {
                topic.send(2, v.getBytes(StandardCharsets.UTF_8)).get();
            }
            topic.send(3, "elsewhere".getBytes(StandardCharsets.UTF_8)).get();
            List<String> seen = new CopyOnWriteArrayList<>();
            boolean[] failedOnce = {false};
            InboundTopic.Reader reader = topic.read(2, v -> {
                String s = new String(v, StandardCharsets.UTF_8);
                seen.add(s);
                if (s.equals("two") && !failedOnce[0]) {
                    failedOnce[0] = true;
                    return CompletableFuture.failedFuture(new IllegalStateException("store unavailable"));
                }
                return CompletableFuture.completedFuture(null);
            });
            Await.until(Duration.ofSeconds(30), () -> seen.size() >= 4, seen::toString);
            reader.close();
            // [one, two, three, two] when the three came in one poll, [one, two, two, three] when three came after
            assertEquals("one", seen.get(0), seen::toString);
            assertEquals(List.of(1L, 2L, 1L), List.of("one", "two", "three").stream().map(x -> seen.stream().filter(x::equals).count()).toList(),
                    () -> "the one it could not take read again, the others once: " + seen);

            topic.send(2, "four".getBytes(StandardCharsets.UTF_8)).get();
            List<String> next = new CopyOnWriteArrayList<>();
            InboundTopic.Reader again = topic.read(2, v -> {
                next.add(new String(v, StandardCharsets.UTF_8));
                return CompletableFuture.completedFuture(null);
            });
            Await.until(Duration.ofSeconds(30), () -> next.contains("four"), next::toString);
            again.close();
            assertEquals(List.of("four"), next, "what was committed is not read again where the shard runs next");
        }
    }
}
