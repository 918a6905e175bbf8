package smppgw.model;

import smppgw.model.Ids;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {
    @Test
    void idsCarryTheirTimeAndSortByIt() {
        Ids ids = new Ids();
        String a = ids.next(1_732_288_000_000L);
        String b = ids.next(1_732_288_000_001L);
        assertEquals(26, a.length());
        assertEquals(1_732_288_000_000L, Ids.millisOf(a));
        assertTrue(a.compareTo(b) < 0);
        assertTrue(Ids.looksLikeId(a));
    }

    @Test
    void monotonicAndUniqueWithinOneMillisecondAndWhenTheClockStepsBack() {
        Ids ids = new Ids();
        Set<String> seen = new HashSet<>();
        String prev = "";
        for (int i = 0; i < 100_000; i++) {
            String id = ids.next(i < 50_000 ? 1000 : 999); // the clock steps back half way
            assertTrue(id.compareTo(prev) > 0, "monotonic at " + i);
            assertTrue(seen.add(id));
            prev = id;
        }
    }

    @Test
    void aShardsIdsCarryItAndStayMonotonic() {
        for (int shard : new int[]{0, 1, 31, 32, 500, 1023}) {
            Ids ids = new Ids(new java.util.Random(shard), shard);
            String prev = "";
            for (int i = 0; i < 1000; i++) {
                String id = ids.next(1_732_288_000_000L + i / 100);
                assertEquals(shard, Ids.shardOf(id), id);
                assertEquals(1_732_288_000_000L + i / 100, Ids.millisOf(id));
                assertTrue(id.compareTo(prev) > 0);
                prev = id;
            }
        }
        assertEquals(-1, Ids.shardOf("not-an-id"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Ids(new java.util.Random(), 1024));
    }
}
