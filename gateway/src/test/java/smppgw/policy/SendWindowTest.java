package smppgw.policy;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Promotional Mon–Sat 10:00–20:00, in two time zones, across the autumn DST change (last Sunday of October). */
class SendWindowTest {
    private static final SendWindow PROMO = new SendWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY), LocalTime.of(10, 0),
            LocalTime.of(20, 0));
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void insideTheWindowGoesNowOutsideWaitsForTheNextOpening() {
        // Wednesday 2026-11-18, Paris is UTC+1
        assertEquals(at("2026-11-18T09:00:00Z"), PROMO.next(at("2026-11-18T09:00:00Z"), PARIS), "10:00 Paris: the first instant");
        assertEquals(at("2026-11-18T09:00:00Z"), PROMO.next(at("2026-11-18T08:59:59.999Z"), PARIS), "09:59:59.999 waits 1 ms");
        assertEquals(at("2026-11-18T18:59:59.999Z"), PROMO.next(at("2026-11-18T18:59:59.999Z"), PARIS), "the last instant");
        assertEquals(at("2026-11-19T09:00:00Z"), PROMO.next(at("2026-11-18T19:00:00Z"), PARIS), "20:00 is closed: tomorrow 10:00");
        // Saturday 20:30 → Monday 10:00 (Sunday is closed)
        assertEquals(at("2026-11-23T09:00:00Z"), PROMO.next(at("2026-11-21T19:30:00Z"), PARIS));
        // the same instant in New York (UTC-5) is Saturday 14:30: open
        assertEquals(at("2026-11-21T19:30:00Z"), PROMO.next(at("2026-11-21T19:30:00Z"), NEW_YORK));
    }

    @Test
    void theOpeningFollowsTheLocalClockAcrossTheDstChange() {
        // Saturday 2026-10-24 21:00 Paris (UTC+2, summer time). Sunday 25th clocks go back; Monday 26th opens at 10:00 UTC+1
        assertEquals(at("2026-10-26T09:00:00Z"), PROMO.next(at("2026-10-24T19:00:00Z"), PARIS));
        // New York changes a week later (Sunday 2026-11-01): Saturday 31st 21:00 EDT → Monday 2nd 10:00 EST
        assertEquals(at("2026-11-02T15:00:00Z"), PROMO.next(at("2026-11-01T01:00:00Z"), NEW_YORK));
        // before the change in New York, 10:00 is 14:00 UTC
        assertEquals(at("2026-10-30T14:00:00Z"), PROMO.next(at("2026-10-30T12:00:00Z"), NEW_YORK));
    }

    @Test
    void aWindowOpeningInsideTheSpringGapOpensRightAfterIt() {
        SendWindow early = new SendWindow(EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 30), LocalTime.of(5, 0));
        // Paris, Sunday 2026-03-29: 02:00 → 03:00; 02:30 does not exist, it opens at 03:00 local = 01:00 UTC
        assertEquals(at("2026-03-29T01:00:00Z"), early.next(at("2026-03-28T23:00:00Z"), PARIS));
    }

    @Test
    void timeZonesComeFromTheNumbersCountryCodeLongestPrefixFirst() {
        TimeZones z = new TimeZones(Map.of("+1", "America/New_York", "+1808", "Pacific/Honolulu"), ZoneId.of("UTC"));
        assertEquals(PARIS, z.of("+33612345678"));
        assertEquals(ZoneId.of("Europe/Luxembourg"), z.of("+352621123456"), "+352, not +35x");
        assertEquals(NEW_YORK, z.of("+12125550100"));
        assertEquals(ZoneId.of("Pacific/Honolulu"), z.of("+18085550100"));
        assertEquals(ZoneId.of("UTC"), z.of("+8613800138000"), "not in the table: the default");
        assertEquals(NEW_YORK, z.of("+13125550100"), "a configured +1 wins over the built-in area codes");
    }

    @Test
    void plusOneNumbersGetTheirZoneFromTheAreaCodeAcrossEveryZoneOfTheNanp() {
        TimeZones z = new TimeZones(Map.of(), null);
        Map<String, String> sample = Map.ofEntries(
                Map.entry("+12125550100", "America/New_York"), Map.entry("+13055550100", "America/New_York"),
                Map.entry("+13125550100", "America/Chicago"), Map.entry("+12145550100", "America/Chicago"),
                Map.entry("+13035550100", "America/Denver"), Map.entry("+16025550100", "America/Phoenix"),
                Map.entry("+14155550100", "America/Los_Angeles"), Map.entry("+12065550100", "America/Los_Angeles"),
                Map.entry("+19075550100", "America/Anchorage"), Map.entry("+18085550100", "Pacific/Honolulu"),
                Map.entry("+14165550100", "America/Toronto"), Map.entry("+16045550100", "America/Vancouver"),
                Map.entry("+14035550100", "America/Edmonton"), Map.entry("+12045550100", "America/Winnipeg"),
                Map.entry("+19025550100", "America/Halifax"), Map.entry("+17095550100", "America/St_Johns"),
                Map.entry("+17875550100", "America/Puerto_Rico"), Map.entry("+18765550100", "America/Jamaica"),
                Map.entry("+16715550100", "Pacific/Guam"), Map.entry("+16845550100", "Pacific/Pago_Pago"));
        sample.forEach((number, zone) -> assertEquals(ZoneId.of(zone), z.of(number), number));
        // an area code across two zones: its exchanges in the other one are listed
        assertEquals(ZoneId.of("America/Chicago"), z.of("+14235550100"));
        assertEquals(NEW_YORK, z.of("+14232020100"), "423-202 is on Eastern time");
        // toll-free and non-geographic numbers have no zone: the configured default, or none (the configuration requires one with windows)
        assertEquals(null, z.of("+18005550100"));
        assertEquals(false, z.known("+18885550100"));
        assertEquals(ZoneId.of("Europe/Paris"), new TimeZones(Map.of(), PARIS).of("+18005550100"));
    }

    @Test
    void theNanpTableCoversEveryGeographicAreaCodeItListsWithAValidZone() throws Exception {
        try (java.io.InputStream in = TimeZones.class.getResourceAsStream("/smppgw/nanp-zones.txt")) {
            java.util.List<String> areaCodes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).map(l -> l.split(" ")[0]).filter(p -> p.length() == 4).toList();
            org.junit.jupiter.api.Assertions.assertTrue(areaCodes.size() > 400, "area codes: " + areaCodes.size());
            TimeZones z = new TimeZones(Map.of(), null);
            for (String p : areaCodes) {
                org.junit.jupiter.api.Assertions.assertNotNull(z.of("+" + p + "5550100"), p);
            }
        }
    }
}
