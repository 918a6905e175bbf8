package smppgw.route;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindPlacementTest {
    private static final Map<String, Integer> COUNTS = Map.of("orange:smsc1", 4, "sfr:smsc2", 1, "bouygues:smsc3", 12);

    private static List<BindPlacement.Bind> all(Map<String, List<BindPlacement.Bind>> placed) {
        List<BindPlacement.Bind> all = new ArrayList<>();
        placed.values().forEach(all::addAll);
        return all;
    }

    @Test
    void everyBindIsPlacedOnceWhateverTheNodes() {
        for (List<String> nodes : List.of(List.of("gw1"), List.of("gw1", "gw2"), List.of("gw3", "gw1", "gw2"), List.of("a", "b", "c", "d", "e", "f", "g"))) {
            Map<String, List<BindPlacement.Bind>> placed = BindPlacement.place(COUNTS, nodes);
            assertEquals(new HashSet<>(nodes), placed.keySet());
            List<BindPlacement.Bind> all = all(placed);
            assertEquals(17, all.size(), "never more than each account's count in the group: " + placed);
            assertEquals(17, new HashSet<>(all).size());
            List<String> reversed = new ArrayList<>(nodes);
            java.util.Collections.reverse(reversed);
            assertEquals(placed, BindPlacement.place(COUNTS, reversed), "every node computes the same placement");
        }
        assertEquals(Map.of(), BindPlacement.place(COUNTS, List.of()));
    }

    @Test
    void everyNodeHoldsItsPartOfEachAccountAndMovesAreFew() {
        for (List<String> nodes : List.of(List.of("gw1", "gw2"), List.of("gw1", "gw2", "gw3"), List.of("a", "b", "c", "d", "e", "f", "g"))) {
            Map<String, List<BindPlacement.Bind>> placed = BindPlacement.place(COUNTS, nodes);
            COUNTS.forEach((account, count) -> {
                List<Long> held = nodes.stream().map(n -> placed.get(n).stream().filter(b -> b.account().equals(account)).count()).toList();
                assertTrue(java.util.Collections.max(held) - java.util.Collections.min(held) <= 1, account + " spread evenly: " + placed);
                if (count >= nodes.size()) {
                    assertTrue(java.util.Collections.min(held) >= 1, account + ": each node holds one, so its cores send by themselves");
                }
            });
        }
        List<String> three = List.of("gw1", "gw2", "gw3");
        Map<String, List<BindPlacement.Bind>> before = BindPlacement.place(COUNTS, three);
        Map<String, List<BindPlacement.Bind>> after = BindPlacement.place(COUNTS, List.of("gw1", "gw3"));
        assertTrue(moved(before, after, List.of("gw1", "gw3")) <= COUNTS.size(),
                "the survivors keep their binds but for one per account, to even the spread: " + before + " -> " + after);
        Map<String, List<BindPlacement.Bind>> four = BindPlacement.place(COUNTS, List.of("gw1", "gw2", "gw3", "gw4"));
        assertTrue(moved(before, four, three) <= four.get("gw4").size() + COUNTS.size(), "a joining node moves what it takes and one more"
                + " per account at most: "
                + before + " -> " + four);
        assertTrue(four.get("gw4").size() >= 3 && four.get("gw4").size() <= 5, "the new node takes about a quarter: " + four);
    }

    /** Binds held by one of {@code nodes} before and by another node after. */
    private static long moved(Map<String, List<BindPlacement.Bind>> before, Map<String, List<BindPlacement.Bind>> after, List<String> nodes) {
        return nodes.stream().mapToLong(n -> before.get(n).stream().filter(b -> !after.get(n).contains(b)).count()).sum();
    }

    @Test
    void manyBindsSpreadEvenly() {
        List<String> nodes = List.of("gw1", "gw2", "gw3");
        Map<String, List<BindPlacement.Bind>> placed = BindPlacement.place(Map.of("big", 3000), nodes);
        for (String n : nodes) {
            assertEquals(1000, placed.get(n).size(), n + " of 3000");
        }
    }

    @Test
    void theSharesOfAnAccountsTpsAddUpToIt() {
        for (int tps : new int[]{0, 1, 7, 100, 1001}) {
            for (List<String> nodes : List.of(List.of("gw1"), List.of("gw1", "gw2", "gw3"), List.of("a", "b", "c", "d", "e", "f", "g"))) {
                Map<String, List<BindPlacement.Bind>> placed = BindPlacement.place(COUNTS, nodes);
                int sum = 0;
                Set<String> sending = new HashSet<>();
                for (Map.Entry<String, List<BindPlacement.Bind>> e : placed.entrySet()) {
                    int share = BindPlacement.tpsShare(tps, 4, e.getValue(), "orange:smsc1");
                    sum += share;
                    if (e.getValue().stream().anyMatch(b -> b.account().equals("orange:smsc1"))) {
                        sending.add(e.getKey());
                    } else {
                        assertEquals(0, share, "no bind, no share");
                    }
                }
                assertEquals(tps, sum, tps + " tps over " + nodes);
                assertTrue(!sending.isEmpty());
            }
        }
    }
}
