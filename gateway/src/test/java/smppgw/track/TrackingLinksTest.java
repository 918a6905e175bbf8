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
}
