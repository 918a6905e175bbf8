package smppgw.metrics;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sharded node's scrape: its own figures and each attached core's, every series of a core labelled with its shard. */
class MergedTest {
    private static String scrape(Metrics m) {
        return new String(m.scrape(), StandardCharsets.UTF_8);
    }

    private static long lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void eachCoresSeriesCarryItsShardAndEachFamilyIsWrittenOnce() {
        Metrics node = new Metrics();
        Metrics core0 = new Metrics();
        Metrics core1 = new Metrics();
        node.connectionsRefused.labelValues("http").inc();
        core0.intake.labelValues("http", "acme", "accepted").inc(2);
        core1.intake.labelValues("http", "acme", "accepted").inc(3);
        core1.submitLatency.labelValues("op").observe(0.004);
        node.attach("0", core0);
        node.attach("1", core1);

        String text = scrape(node);
        assertTrue(text.contains("smppgw_intake_total{client=\"acme\",interface=\"http\",result=\"accepted\",shard=\"0\"} 2.0"), text);
        assertTrue(text.contains("smppgw_intake_total{client=\"acme\",interface=\"http\",result=\"accepted\",shard=\"1\"} 3.0"), text);
        assertTrue(text.contains("smppgw_submit_response_seconds_bucket{operator=\"op\",shard=\"1\",le=\"0.005\"} 1"), text);
        assertTrue(text.contains("smppgw_submit_response_seconds_count{operator=\"op\",shard=\"1\"} 1"), text);
        assertTrue(text.contains("smppgw_connections_refused_total{listener=\"http\"} 1.0"), "the node's own, without a shard: " + text);
        assertEquals(1, lines(text, "# TYPE smppgw_intake_total "), "one family for every shard's series");
        assertEquals(1, lines(text, "# TYPE jvm_threads_current "), "the JVM's figures once, the node's");
        assertFalse(text.contains("jvm_threads_current{shard="), text);

        node.detach("1");
        String after = scrape(node);
        assertFalse(after.contains("shard=\"1\""), "a shard that moved away is not scraped here: " + after);
        assertTrue(after.contains("shard=\"0\""), after);
    }

    @Test
    void withNothingAttachedTheScrapeIsTheRegistrysOwn() {
        Metrics node = new Metrics();
        node.intake.labelValues("http", "acme", "accepted").inc();
        String text = scrape(node);
        assertTrue(text.contains("smppgw_intake_total{client=\"acme\",interface=\"http\",result=\"accepted\"} 1.0"), text);
        assertFalse(text.contains("shard="), text);
    }
}
