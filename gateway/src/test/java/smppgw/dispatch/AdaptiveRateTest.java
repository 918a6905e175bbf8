package smppgw.dispatch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdaptiveRateTest {
    private static final long S = 1_000_000_000;

    @Test
    void cutsMultiplicativelyOncePerHoldAndRecoversAdditively() {
        AdaptiveRate r = new AdaptiveRate(100, 0.5, 0.1, 1, S, 0);
        assertEquals(100, r.current());
        r.onThrottled(0, 100);
        assertEquals(50, r.current());
        r.onThrottled(S / 2, 100); // same burst: ignored
        assertEquals(50, r.current());
        r.tick(S / 2);
        assertEquals(50, r.current(), "no recovery during the hold");
        r.tick(2 * S); // 1 s after the hold: +10% of 100 per second
        assertEquals(60, r.current(), 1e-9);
        r.tick(5 * S);
        assertEquals(90, r.current(), 1e-9);
        r.tick(100 * S);
        assertEquals(100, r.current(), "never above the configured tps");
    }

    @Test
    void recoversFastTo95PercentOfTheThrottledRateThenProbesFiveTimesSlower() {
        AdaptiveRate r = new AdaptiveRate(100, 0.9, 0.1, 1, S, 0);
        r.onThrottled(0, 100);
        assertEquals(90, r.current(), 1e-9);
        r.tick(S + S / 2); // 0.5 s after the hold at 10/s: reaches the knee, 95
        assertEquals(95, r.current(), 1e-9);
        r.tick(S * 5 / 2); // 1 s above the knee at 2/s
        assertEquals(97, r.current(), 1e-9);
    }

    @Test
    void neverBelowTheFloor() {
        AdaptiveRate r = new AdaptiveRate(10, 0.5, 0.1, 2, S, 0);
        for (int i = 0; i < 10; i++) {
            r.onThrottled(i * 2 * S, 10);
        }
        assertEquals(2, r.current());
    }

    @Test
    void anUnlimitedOperatorStartsFromWhatItAchievedAndBecomesUnlimitedAgain() {
        AdaptiveRate r = new AdaptiveRate(0, 0.5, 0.25, 1, S, 0);
        assertEquals(0, r.current());
        r.onThrottled(0, 800);
        assertEquals(400, r.current());
        r.tick(2 * S); // 1 s of recovery: +25% of 800
        assertEquals(600, r.current(), 1e-9);
        r.tick(3 * S); // 0.8 s fast to the knee (760), then 0.2 s at a fifth of the speed
        assertEquals(768, r.current(), 1e-9);
        r.tick(4 * S);
        assertEquals(0, r.current(), "recovered to where it was throttled: unlimited again");
    }
}
