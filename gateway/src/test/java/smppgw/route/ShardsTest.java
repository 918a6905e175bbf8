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
    void aCodesShardNeverChangesAndEveryCharacterCounts() {
        // a link's token and a promo code are found through the shard of their core: these values are the function
        List<Integer> pinned = List.of(Shards.ofCode("aB3dE6gH9k", 12), Shards.ofCode("K7M3QX9P", 12), Shards.ofCode("k7m3qx9p", 12),
                Shards.ofCode("K7M3QX9P", 1024), Shards.ofCode("K7M3QX9P", 1));
        assertEquals(List.of(3, 5, 2, 749, 0), pinned, "the values the first version gave");
        int[] n = new int[6];
        for (int i = 0; i < 60_000; i++) {
            n[Shards.ofCode(Integer.toString(i * 7919, 36).toUpperCase(java.util.Locale.ROOT), 6)]++;
        }
        for (int count : n) {
            assertTrue(Math.abs(count - 10_000) < 500, java.util.Arrays.toString(n));
        }
        assertThrows(IllegalArgumentException.class, () -> Shards.ofCode("K7M3QX9P", 0));
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
