package smppgw.policy;

import java.time.ZoneId;
import java.util.Map;

/**
 * A recipient's time zone from their number: the longest configured prefix wins ({@code compliance.time-zones},
 * e.g. {@code "+1808": Pacific/Honolulu}), then the built-in tables: +1 numbers by area code (and the exchanges of
 * area codes that span two zones), from {@code nanp-zones.txt}; countries that have a single zone by calling code.
 * Then {@code compliance.default-time-zone}, which the configuration requires when send windows are set. A message
 * may name its own ({@code time_zone}).
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

    /** +1 numbers by prefix (area code, some exchanges): {@code nanp-zones.txt}, longest prefix first. */
    private static final Map<String, ZoneId> NANP = nanp();

    private final Map<String, ZoneId> configured = new java.util.HashMap<>();
    private final Map<String, ZoneId> builtIn = new java.util.HashMap<>();
    private final int longestConfigured;
    private final int longestBuiltIn;
    private final ZoneId fallback;

    /**
     * @param overrides {@code compliance.time-zones}: prefix → zone, before any built-in one
     * @param fallback  {@code compliance.default-time-zone}, for numbers no table knows; null when none is configured
     *                  (then {@link #of} answers null for them)
     */
    public TimeZones(Map<String, String> overrides, ZoneId fallback) {
        overrides.forEach((p, z) -> configured.put(p, ZoneId.of(z)));
        BUILT_IN.forEach((p, z) -> builtIn.put(p, ZoneId.of(z)));
        builtIn.putAll(NANP);
        longestConfigured = configured.keySet().stream().mapToInt(String::length).max().orElse(0);
        longestBuiltIn = builtIn.keySet().stream().mapToInt(String::length).max().orElse(0);
        this.fallback = fallback;
    }

    /**
     * The zone of an E.164 number: the longest configured prefix, else the longest built-in one (a +1 number's area
     * code or exchange, another country's code), else the fallback (null if none is configured).
     */
    public ZoneId of(String e164) {
        ZoneId z = longest(configured, longestConfigured, e164);
        if (z == null) {
            z = longest(builtIn, longestBuiltIn, e164);
        }
        return z != null ? z : fallback;
    }

    /** Whether the number's zone is known from a table, not the fallback. */
    public boolean known(String e164) {
        return longest(configured, longestConfigured, e164) != null || longest(builtIn, longestBuiltIn, e164) != null;
    }

    private static ZoneId longest(Map<String, ZoneId> table, int longest, String e164) {
        for (int n = Math.min(longest, e164.length()); n >= 2; n--) {
            ZoneId z = table.get(e164.substring(0, n));
            if (z != null) {
                return z;
            }
        }
        return null;
    }

    private static Map<String, ZoneId> nanp() {
        Map<String, ZoneId> m = new java.util.HashMap<>();
        try (java.io.InputStream in = TimeZones.class.getResourceAsStream("/smppgw/nanp-zones.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource /smppgw/nanp-zones.txt is missing");
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                m.put("+" + f[0], ZoneId.of(f[1]));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
