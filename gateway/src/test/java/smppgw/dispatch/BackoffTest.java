package smppgw.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    @Test
    void doublesFromMinimumUpToMaximumWithJitterInTheUpperHalf() {
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999_999);
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
        assertEquals(999, high.delayMs(2));
        assertEquals(500, low.delayMs(2));
        assertEquals(1999, high.delayMs(3));
        assertEquals(3999, high.delayMs(4));
        assertEquals(7999, high.delayMs(5));
        assertEquals(9999, high.delayMs(6));
        assertEquals(5000, low.delayMs(60));
    }
}
