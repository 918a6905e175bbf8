package smppgw.campaign;

import org.junit.jupiter.api.Test;

import smppgw.model.ReadProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadProfileTest {
    @Test
    void theBestHourHasTheShortestMeanTimeToReadAndSurvivesEncoding() {
        assertEquals(-1, ReadProfile.empty().bestHour());
        ReadProfile p = ReadProfile.empty().add(9, 120_000, 1).add(15, 3 * 3_600_000, 2).add(9, 60_000, 3).add(20, 100_000, 4);
        assertEquals(9, p.bestHour(), "9: mean 90 s; 20: 100 s; 15: 3 h");
        ReadProfile q = ReadProfile.decode(p.encode());
        assertEquals(9, q.bestHour());
        assertEquals(2, q.reads()[9]);
        assertEquals(180_000, q.totalMs()[9]);
        assertEquals(4, q.lastAt(), "the newest read: retention drops the profile once it is past");
        assertEquals(20, ReadProfile.empty().add(20, 60_000, 1).add(7, 60_000, 2).add(20, 60_000, 3).bestHour(), "a tie goes to the hour with more reads");
    }
}
