package smppgw.config;

import java.time.Duration;

/** Durations as the configuration writes them: {@code 7d}, {@code 48h}, {@code 30m}, {@code 10s}, {@code 250ms}. */
public final class Durations {
    private Durations() {
    }

    /** {@code 24h}, {@code 90m}, …; null when it is not one. */
    public static Duration parse(String s) {
        return s == null ? null : Node.parseDuration(s);
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
