package smppgw.protocol;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SMPP 3.4 absolute and relative times, with exact values. */
class SmppTimeTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void relativeTimesOfDurations() {
        assertEquals("000000000130000R", SmppTime.relative(Duration.ofSeconds(90)));
        assertEquals("000002000000000R", SmppTime.relative(Duration.ofHours(48)));
        assertEquals("000030000000000R", SmppTime.relative(Duration.ofDays(30)));
        assertEquals("000000000001000R", SmppTime.relative(Duration.ofMillis(10)), "at least a second");
    }

    @Test
    void parsedAbsoluteWithItsOffsetAndRelativeFromNow() {
        assertEquals(Instant.parse("2026-12-24T18:30:00Z"), SmppTime.parse("261224193000004+", NOW), "+01:00: 4 quarters ahead of UTC");
        assertEquals(Instant.parse("2026-12-24T23:30:00.500Z"), SmppTime.parse("261224183000520-", NOW), "-05:00, 5 tenths");
        assertEquals(NOW.plusSeconds(2 * 3600 + 30 * 60), SmppTime.parse("000000023000000R", NOW));
        assertEquals(Instant.parse("2026-12-03T10:00:00Z"), SmppTime.parse("000002000000000R", NOW));
        assertNull(SmppTime.parse("", NOW));
        assertThrows(IllegalArgumentException.class, () -> SmppTime.parse("2612241930", NOW));
        assertThrows(IllegalArgumentException.class, () -> SmppTime.parse("261324193000004+", NOW), "month 13");
        assertThrows(IllegalArgumentException.class, () -> SmppTime.parse("261224193000004X", NOW));
    }
}
