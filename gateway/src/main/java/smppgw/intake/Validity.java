package smppgw.intake;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An integrator's {@code validity}: how long a message may still be sent. */
final class Validity {
    private Validity() {
    }

    private static final Pattern VALIDITY = Pattern.compile("(\\d{1,9})(s|m|h|d)?");

    /** {@code 3600}, {@code 90s}, {@code 30m}, {@code 48h} or {@code 7d}; between 1 minute and 30 days. */
    static Duration parse(String v) {
        Matcher m = VALIDITY.matcher(v.trim());
        Duration d = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        if (d == null || d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(30)) > 0) {
            throw InvalidRequestException.field("validity", "validity '" + v + "' must be seconds or a duration like 30m, 48h, 7d,"
                    + " between 1 minute and 30 days");
        }
        return d;
    }
}
