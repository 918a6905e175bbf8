package smppgw.route;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardsTest {
    @Test
    void aRecipientsShardNeverChanges() {
        // a recipient's records are in its shard's journal: these values are the function, a change to them loses data
        assertEquals(List.of(0, 0, 0, 0), List.of(Shards.of("+33612345678", 1), Shards.of("+447700900123", 1), Shards.of("+15551234567", 1),
                Shards.of("+4915112345678", 1)));
        List<Integer> pinned = List.of(Shards.of("+33612345678", 12), Shards.of("+447700900123", 12), Shards.of("+15551234567", 12),
                Shards.of("+4915112345678", 12), Shards.of("+33612345678", 1024));
        assertEquals(List.of(2, 1, 9, 2, 450), pinned, "the values the first version gave");
    }

    @Test
    void onlyTheDigitsCount() {
        assertEquals(Shards.of("+33612345678", 24), Shards.of("33612345678", 24));
        assertEquals(Shards.of("+33 6 12 34 56 78", 24), Shards.of("+33612345678", 24));
    }

    @Test
    void neighbouringNumbersSpreadEvenlyForAnyShardCount() {
        for (int shards : new int[]{2, 3, 7, 12, 24, 64}) {
            int[] n = new int[shards];
            int total = 120_000;
            for (int i = 0; i < total; i++) {
                n[Shards.of("+336" + (10_000_000 + i), shards)]++;
            }
            double expected = (double) total / shards;
            double sigma = Math.sqrt(total * (1.0 / shards) * (1 - 1.0 / shards)); // as if each number fell in a shard at random
            for (int s = 0; s < shards; s++) {
                assertTrue(Math.abs(n[s] - expected) < 5 * sigma, shards + " shards: shard " + s + " has " + n[s] + ", expected " + expected
                        + " +- " + sigma);
            }
        }
    }

    @Test
    void aShardCountOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Shards.of("+33612345678", 0));
        assertThrows(IllegalArgumentException.class, () -> Shards.of("+33612345678", 1025));
    }
}
