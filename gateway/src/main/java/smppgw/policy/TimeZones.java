package smppgw.policy;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recipient's time zone from the country calling code of their number: the longest configured prefix wins
 * ({@code compliance.time-zones}, e.g. {@code "+1": America/New_York}), then a built-in table of countries that
 * have a single zone, then {@code compliance.default-time-zone}. A message may name its own ({@code time_zone}).
 */
public final class TimeZones {
    /** Countries with one time zone (mainland), by calling code. */
    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("+33", "Europe/Paris"), Map.entry("+32", "Europe/Brussels"), Map.entry("+41", "Europe/Zurich"),
            Map.entry("+352", "Europe/Luxembourg"), Map.entry("+377", "Europe/Monaco"), Map.entry("+44", "Europe/London"),
            Map.entry("+353", "Europe/Dublin"), Map.entry("+49", "Europe/Berlin"), Map.entry("+43", "Europe/Vienna"),
            Map.entry("+31", "Europe/Amsterdam"), Map.entry("+34", "Europe/Madrid"), Map.entry("+39", "Europe/Rome"),
            Map.entry("+351", "Europe/Lisbon"), Map.entry("+30", "Europe/Athens"), Map.entry("+48", "Europe/Warsaw"),
            Map.entry("+420", "Europe/Prague"), Map.entry("+36", "Europe/Budapest"), Map.entry("+40", "Europe/Bucharest"),
            Map.entry("+45", "Europe/Copenhagen"), Map.entry("+46", "Europe/Stockholm"), Map.entry("+47", "Europe/Oslo"),
            Map.entry("+358", "Europe/Helsinki"), Map.entry("+212", "Africa/Casablanca"), Map.entry("+213", "Africa/Algiers"),
            Map.entry("+216", "Africa/Tunis"), Map.entry("+221", "Africa/Dakar"), Map.entry("+225", "Africa/Abidjan"),
            Map.entry("+237", "Africa/Douala"), Map.entry("+27", "Africa/Johannesburg"), Map.entry("+972", "Asia/Jerusalem"),
            Map.entry("+971", "Asia/Dubai"), Map.entry("+91", "Asia/Kolkata"), Map.entry("+81", "Asia/Tokyo"),
            Map.entry("+82", "Asia/Seoul"), Map.entry("+65", "Asia/Singapore"), Map.entry("+262", "Indian/Reunion"),
            Map.entry("+590", "America/Guadeloupe"), Map.entry("+596", "America/Martinique"), Map.entry("+594", "America/Cayenne"));

    private final Map<String, ZoneId> byPrefix = new LinkedHashMap<>();
    private final ZoneId fallback;

    public TimeZones(Map<String, String> overrides, ZoneId fallback) {
        Map<String, String> all = new LinkedHashMap<>(BUILT_IN);
        all.putAll(overrides);
        all.entrySet().stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .forEach(e -> byPrefix.put(e.getKey(), ZoneId.of(e.getValue())));
        this.fallback = fallback;
    }

    /** The zone of an E.164 number. */
    public ZoneId of(String e164) {
        for (Map.Entry<String, ZoneId> e : byPrefix.entrySet()) {
            if (e164.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return fallback;
    }
}
