package smppgw.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariantsTest {
    private static Variants of(double... weights) {
        List<Variants.Variant> vs = new java.util.ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            vs.add(new Variants.Variant(String.valueOf((char) ('A' + i)), Template.of("t" + i), weights[i]));
        }
        return new Variants(vs);
    }

    @Test
    void theDrawIsReproducibleAndFollowsTheWeights() {
        Variants v = of(3, 1);
        int n = 20_000;
        int a = 0;
        for (int i = 0; i < n; i++) {
            String number = "+3361" + String.format("%08d", i);
            String first = v.pick("c1", number).name();
            assertEquals(first, v.pick("c1", number).name(), "the same recipient, the same variant");
            a += first.equals("A") ? 1 : 0;
        }
        double sd = Math.sqrt(n * 0.75 * 0.25);
        assertTrue(Math.abs(a - n * 0.75) < 4 * sd, a + " of " + n + " got A with weights 3:1");
    }

    @Test
    void anotherCampaignDrawsAfresh() {
        Variants v = of(1, 1);
        int same = 0;
        for (int i = 0; i < 2000; i++) {
            String number = "+3361" + String.format("%08d", i);
            same += v.pick("c1", number).name().equals(v.pick("c2", number).name()) ? 1 : 0;
        }
        assertNotEquals(2000, same);
        assertTrue(Math.abs(same - 1000) < 4 * Math.sqrt(500), "independent draws agree half the time: " + same);
    }
}
