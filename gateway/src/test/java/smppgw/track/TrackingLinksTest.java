package smppgw.track;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingLinksTest {
    private final TrackingLinks links = new TrackingLinks();

    @Test
    void everyUrlBecomesAShortLinkAndTheSentencesPunctuationStaysOutside() {
        TrackingLinks.Rewritten r = links.rewrite("Soldes: https://shop.example.com/soldes?utm=sms&x=1. Ou http://b.example (magasin)!",
                "https://go.example.com/r");
        List<String> tokens = new ArrayList<>(r.links().keySet());
        assertEquals(2, tokens.size());
        assertEquals("https://shop.example.com/soldes?utm=sms&x=1", r.links().get(tokens.get(0)));
        assertEquals("http://b.example", r.links().get(tokens.get(1)));
        assertEquals("Soldes: https://go.example.com/r/" + tokens.get(0) + ". Ou https://go.example.com/r/" + tokens.get(1) + " (magasin)!",
                r.text());
        assertTrue(tokens.stream().allMatch(TrackingLinks::isToken));
        assertEquals("no link here", links.rewrite("no link here", "https://go.example.com/r").text());
    }

    @Test
    void tokensAreUrlSafeAndDoNotRepeat() {
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String t = links.rewrite("https://a.example", "https://g.example").links().keySet().iterator().next();
            assertTrue(t.matches("[0-9A-Za-z]{10}"), t);
            assertTrue(seen.add(t), "repeated token " + t);
        }
        assertFalse(TrackingLinks.isToken("../etc/pas"));
        assertFalse(TrackingLinks.isToken("short"));
    }

    @Test
    void aShardsCoreDrawsOnlyTokensOfItsShard() {
        TrackingLinks mine = new TrackingLinks().forShard(4, 6);
        HashSet<String> seen = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            String t = mine.rewrite("https://a.example", "https://g.example").links().keySet().iterator().next();
            assertEquals(4, smppgw.route.Shards.ofCode(t, 6), t);
            assertTrue(TrackingLinks.isToken(t) && seen.add(t), t);
        }
        int[] unsharded = new int[6]; // a gateway's tokens fall on every class: nothing is left out when it is not sharded
        for (int i = 0; i < 600; i++) {
            unsharded[smppgw.route.Shards.ofCode(links.rewrite("https://a.example", "https://g.example").links().keySet().iterator().next(), 6)]++;
        }
        assertTrue(java.util.Arrays.stream(unsharded).allMatch(n -> n > 50), java.util.Arrays.toString(unsharded));
    }
}
