package smppgw.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.Set;

/**
 * When a class of message may reach a recipient: on {@code days}, from {@code from} until {@code to}, in the
 * recipient's local time. A message outside it waits for the next opening: never dropped, never sent early.
 * Local times that a DST change skips open at the first instant after the gap; repeated ones open at the first
 * occurrence.
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    public SendWindow {
        if (days.isEmpty() || !from.isBefore(to)) {
            throw new IllegalArgumentException("a send window needs at least one day and from < to");
        }
    }

    /** {@code t} if it is inside the window in {@code zone}, else the next opening. */
    public Instant next(Instant t, ZoneId zone) {
        LocalDate day = t.atZone(zone).toLocalDate();
        for (int i = 0; i < 8; i++, day = day.plusDays(1)) {
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant opens = instant(day, from, zone);
            Instant closes = instant(day, to, zone);
            if (t.isBefore(opens)) {
                return opens;
            }
            if (t.isBefore(closes)) {
                return t;
            }
        }
        throw new IllegalStateException("no opening within a week"); // cannot happen: days is not empty
    }

    /** The local time's instant; in a spring-forward gap, the end of the gap (the wall clock jumps past it). */
    private static Instant instant(LocalDate day, LocalTime time, ZoneId zone) {
        LocalDateTime local = LocalDateTime.of(day, time);
        ZoneRules rules = zone.getRules();
        if (rules.getValidOffsets(local).isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        return ZonedDateTime.ofLocal(local, zone, null).toInstant(); // in an overlap: the earlier offset, the first occurrence
    }
}
