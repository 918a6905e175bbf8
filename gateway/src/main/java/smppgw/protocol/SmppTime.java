package smppgw.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * SMPP 3.4 time fields (7.1.1), as validity_period and schedule_delivery_time carry them: absolute
 * {@code YYMMDDhhmmsstnnp} (t tenths of a second, nn quarter hours from UTC, p '+' or '-') or relative
 * {@code YYMMDDhhmmss000R}; empty for "none".
 */
public final class SmppTime {
    private SmppTime() {
    }

    /** The relative form of a duration (rounded down to the second; years and months are not used: days go to 99). */
    public static String relative(Duration d) {
        long s = Math.max(1, d.getSeconds());
        long days = Math.min(99, s / 86_400);
        s = days == 99 ? 86_399 : s % 86_400;
        char[] c = new char[16]; // YYMMDDhhmmsstnnR, relative: years, months and tenths 0
        java.util.Arrays.fill(c, (char) 48);
        two(c, 4, days);
        two(c, 6, s / 3600);
        two(c, 8, (s / 60) % 60);
        two(c, 10, s % 60);
        c[15] = 'R';
        return new String(c); // once per submit: no String.format on the hot path
    }

    private static void two(char[] c, int at, long v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }

    /**
     * The instant a time field names, relative ones counted from {@code now}; null for an empty field.
     *
     * @throws IllegalArgumentException it is not an SMPP time
     */
    public static Instant parse(String field, Instant now) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        if (field.length() != 16 || !field.substring(0, 13).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an SMPP time (16 characters, YYMMDDhhmmsstnnp)");
        }
        int yy = num(field, 0);
        int mm = num(field, 2);
        int dd = num(field, 4);
        int hh = num(field, 6);
        int mi = num(field, 8);
        int ss = num(field, 10);
        char p = field.charAt(15);
        if (p == 'R') {
            return now.atZone(ZoneOffset.UTC).plusYears(yy).plusMonths(mm).plusDays(dd).plusHours(hh).plusMinutes(mi).plusSeconds(ss)
                    .toInstant();
        }
        if (p != '+' && p != '-') {
            throw new IllegalArgumentException("its last character must be +, - or R");
        }
        int tenths = field.charAt(12) - '0';
        int quarters = num(field, 13);
        if (quarters > 48) {
            throw new IllegalArgumentException("its offset from UTC is more than 12 hours");
        }
        try {
            LocalDateTime local = LocalDateTime.of(2000 + yy, mm, dd, hh, mi, ss, tenths * 100_000_000);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((p == '+' ? 1 : -1) * quarters * 15 * 60);
            return local.toInstant(offset);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("not a date: " + e.getMessage());
        }
    }

    private static int num(String s, int at) {
        if (!Character.isDigit(s.charAt(at)) || !Character.isDigit(s.charAt(at + 1))) {
            throw new IllegalArgumentException("not digits at " + at);
        }
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }
}
