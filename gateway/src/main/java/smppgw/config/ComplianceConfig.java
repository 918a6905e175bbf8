package smppgw.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules around sending. {@code optOutKeywords} / {@code optInKeywords}: what a handset sends to leave or
 * re-join the suppression list (matched strictly: the whole message, or a keyword followed only by the short
 * code or the client's name, ignoring case, accents and punctuation); {@code blockTransactional}: whether transactional and conversational messages to an
 * opted-out number are refused too (promotional ones always are); {@code footer}: appended (after a line
 * break) to promotional texts that do not already tell how to opt out, e.g. {@code STOP au 36111};
 * {@code capMax} / {@code capPeriod}: at most that many promotional messages per recipient within any rolling
 * period (0: no cap). {@code sendWindows}: per message class, when it may reach a recipient (their local time);
 * {@code timeZones}: number prefix → zone, over the built-in tables; {@code defaultTimeZone}: for the rest (null when
 * not configured, which only a configuration without send windows may leave out). {@code optOutReply}: the text sent
 * back, once, to a number that just opted out (null: none; {@code clients[].opt-out-reply} per client).
 */
public record ComplianceConfig(List<String> optOutKeywords, List<String> optInKeywords, boolean blockTransactional, String footer,
                               int capMax, Duration capPeriod, boolean capDefer, Map<String, smppgw.policy.SendWindow> sendWindows,
                               Map<String, String> timeZones, java.time.ZoneId defaultTimeZone, String optOutReply) {
    public static final List<String> DEFAULT_OPT_OUT = smppgw.policy.Keywords.DEFAULT_OPT_OUT;
    public static final List<String> DEFAULT_OPT_IN = smppgw.policy.Keywords.DEFAULT_OPT_IN;

    static ComplianceConfig read(Node n) {
        List<String> out = n.has("opt-out-keywords") ? n.strings("opt-out-keywords") : DEFAULT_OPT_OUT;
        List<String> in = n.has("opt-in-keywords") ? n.strings("opt-in-keywords") : DEFAULT_OPT_IN;
        for (String k : out) {
            if (in.stream().anyMatch(i -> smppgw.policy.Keywords.normalise(i).equals(smppgw.policy.Keywords.normalise(k)))) {
                n.problem("opt-in-keywords", k, "keywords that are not also opt-out keywords");
            }
        }
        for (String k : out) {
            if (smppgw.policy.Keywords.normalise(k).isEmpty()) {
                n.problem("opt-out-keywords", k, "a keyword with at least one letter or digit");
            }
        }
        String footer = n.string("footer", null);
        if (footer != null && !new smppgw.policy.Keywords(out, in).mentionsOptOut(footer)) {
            n.problem("footer", footer, "a text naming an opt-out keyword, e.g. \"STOP au 36111\"");
        }
        Node cap = n.child("frequency-cap");
        int capMax = (int) cap.integer("max", 2, 0, 1000);
        Duration capPeriod = cap.duration("period", Duration.ofDays(7), Duration.ofMinutes(1), Duration.ofDays(30));
        String over = cap.string("over", "refuse");
        if (!over.equals("refuse") && !over.equals("defer")) {
            cap.problem("over", over, "refuse or defer");
        }
        cap.rejectUnknownKeys();
        Map<String, smppgw.policy.SendWindow> windows = new java.util.LinkedHashMap<>();
        Node sw = n.child("send-windows");
        for (String cls : List.of("transactional", "promotional", "conversational")) {
            if (sw.has(cls)) {
                smppgw.policy.SendWindow w = window(sw.child(cls));
                if (w != null) {
                    windows.put(cls, w);
                }
            }
        }
        sw.rejectUnknownKeys();
        Map<String, String> zones = new java.util.LinkedHashMap<>();
        Node tz = n.child("time-zones");
        for (String prefix : tz.keys()) {
            String zone = tz.string(prefix, null);
            if (!prefix.matches("\\+[1-9][0-9]{0,5}")) {
                tz.problem(prefix, zone, "a key like \"+1\" or \"+1808\" ('+' and digits)");
            } else if (zone == null || !validZone(zone)) {
                tz.problem(prefix, zone, "a time zone such as America/New_York");
            } else {
                zones.put(prefix, zone);
            }
        }
        String dz = n.string("default-time-zone", null);
        if (dz != null && !validZone(dz)) {
            n.problem("default-time-zone", dz, "a time zone such as Europe/Paris or UTC");
            dz = null;
        } else if (dz == null && !windows.isEmpty()) {
            n.problem("default-time-zone", "(none)", "a time zone such as Europe/Paris: send-windows need one for the numbers no table"
                    + " places (outside the built-in countries and +1 area codes: +1 800 numbers, countries with several zones);"
                    + " without it their quiet hours would silently be UTC's");
        }
        ComplianceConfig c = new ComplianceConfig(List.copyOf(out), List.copyOf(in), n.bool("block-transactional", true), footer,
                capMax, capPeriod, over.equals("defer"), Map.copyOf(windows), Map.copyOf(zones), dz == null ? null : java.time.ZoneId.of(dz),
                n.string("opt-out-reply", null));
        if (c.optOutReply() != null && (c.optOutReply().isBlank() || c.optOutReply().length() > 160)) {
            n.problem("opt-out-reply", c.optOutReply(), "a confirmation text of 1 to 160 characters");
        }
        n.rejectUnknownKeys();
        return c;
    }

    /** {@code {days: [MON, TUE, ...], from: "10:00", to: "20:00"}}; null (with a problem) when it is not one. */
    private static smppgw.policy.SendWindow window(Node n) {
        java.util.EnumSet<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        for (String d : n.has("days") ? n.strings("days") : List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")) {
            java.time.DayOfWeek day = java.util.Arrays.stream(java.time.DayOfWeek.values())
                    .filter(x -> x.name().startsWith(d.toUpperCase(java.util.Locale.ROOT)) && d.length() >= 3).findFirst().orElse(null);
            if (day == null) {
                n.problem("days", d, "days as MON, TUE, WED, THU, FRI, SAT, SUN");
            } else {
                days.add(day);
            }
        }
        java.time.LocalTime from = time(n, "from", "08:00");
        java.time.LocalTime to = time(n, "to", "20:00");
        n.rejectUnknownKeys();
        if (days.isEmpty() || from == null || to == null || !from.isBefore(to)) {
            if (from != null && to != null && !from.isBefore(to)) {
                n.problem("to", to, "a time after from (" + from + ")");
            }
            return null;
        }
        return new smppgw.policy.SendWindow(days, from, to);
    }

    private static boolean validZone(String z) {
        try {
            java.time.ZoneId.of(z);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }

    /** {@code "10:00"} (or {@code "9:00"}); null (with a problem) when it is not a time. */
    private static java.time.LocalTime time(Node n, String key, String dflt) {
        String v = n.string(key, dflt);
        try {
            return java.time.LocalTime.parse(v.length() == 4 ? "0" + v : v);
        } catch (java.time.format.DateTimeParseException e) {
            n.problem(key, v, "a local time like 10:00");
            return null;
        }
    }
}
