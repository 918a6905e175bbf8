package smppgw.campaign;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WinnerTest {
    @Test
    void twoProportionTestAsComputedByHand() {
        // A 120/500 = 0.24, B 90/500 = 0.18; pooled 0.21; se = sqrt(0.21 * 0.79 * (2/500)) = 0.025760; z = 0.06 / se = 2.3292;
        // two-sided p = 2 * (1 - Phi(2.3292)) = 0.01985 (tables: Phi(2.33) = 0.99010)
        Winner.Test t = Winner.test("B", 90, 500, "A", 120, 500);
        assertEquals("A", t.leader());
        assertEquals(2.3292, t.z(), 1e-4);
        assertEquals(0.01985, t.pValue(), 1e-4);
        assertTrue(t.significant());
    }

    @Test
    void closeRatesAreNoWinnerAndEmptyVariantsNoTest() {
        Winner.Test t = Winner.test("A", 52, 500, "B", 50, 500);
        assertFalse(t.significant());
        assertTrue(t.pValue() > 0.8, "p " + t.pValue());
        assertNull(Winner.test("A", 0, 0, "B", 3, 10));
        assertEquals(1.0, Winner.test("A", 0, 10, "B", 0, 10).pValue());
    }

    @Test
    void normalTailMatchesKnownValues() {
        assertEquals(0.975, Winner.phi(1.959964), 1e-6);
        assertEquals(0.5, Winner.phi(0), 1e-7);
        assertEquals(0.001350, 1 - Winner.phi(3), 1e-6);
    }
}
