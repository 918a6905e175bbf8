package smppgw.config;

import java.time.Duration;
import java.util.List;

/**
 * The SMSC simulator: a real SMPP server with scripted behaviour, embedded in the gateway (default
 * configuration) or run alone with {@code smppgw sim}.
 */
public record SimulatorConfig(
        boolean enabled,
        HostPort listen,
        String systemId,
        String password,
        IdFormat idFormat,
        IdFormat receiptIdFormat,
        Duration receiptDelay,
        Duration receiptJitter,
        boolean receiptTlvs,
        boolean longDates,
        List<Outcome> outcomes,
        java.util.Map<String, Integer> receiptMix,
        int throttleTps,
        Duration dropBindsEvery,
        String moReply,
        int window,
        int ioThreads) {

    public enum IdFormat {
        HEX, DECIMAL;

        String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A scripted result for destinations ending in {@code toSuffix}: no submit_sm_resp at all, a
     * submit_sm_resp error status, or a receipt with {@code stat} (DELIVRD, UNDELIV, EXPIRED, REJECTD, ...).
     */
    /** {@code moReply}: the handset answers this text after the receipt (a scripted recipient), or null. */
    public record Outcome(String toSuffix, boolean noResponse, int submitStatus, String stat, String err, String moReply) {
        static Outcome read(Node n) {
            String suffix = n.requiredString("to-suffix");
            if (!suffix.isEmpty() && !suffix.matches("[0-9]{1,15}")) {
                n.problem("to-suffix", suffix, "1 to 15 digits");
            }
            boolean noResponse = n.bool("no-response", false);
            int status = (int) n.integer("submit-status", 0, 0, 0xFFFF);
            String stat = n.string("stat", "DELIVRD");
            if (!stat.matches("DELIVRD|UNDELIV|EXPIRED|REJECTD|DELETED|UNKNOWN|ACCEPTD|ENROUTE")) {
                n.problem("stat", stat, "one of DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ACCEPTD, ENROUTE");
            }
            String err = n.string("err", stat.equals("DELIVRD") ? "000" : "001");
            String moReply = n.string("mo-reply", null);
            n.rejectUnknownKeys();
            return new Outcome(suffix, noResponse, status, stat, err, moReply);
        }
    }

    public SimulatorConfig withListen(HostPort address) {
        return new SimulatorConfig(true, address, systemId, password, idFormat, receiptIdFormat, receiptDelay, receiptJitter, receiptTlvs,
                longDates, outcomes, receiptMix, throttleTps, dropBindsEvery, moReply, window, ioThreads);
    }

    public static SimulatorConfig disabled() {
        return new SimulatorConfig(false, new HostPort("127.0.0.1", 2775), "test", "test", IdFormat.HEX, IdFormat.HEX,
                Duration.ofMillis(100), Duration.ZERO, true, false, List.of(), java.util.Map.of(), 0, Duration.ZERO, null, 1000, 1);
    }

    static SimulatorConfig read(Node n) {
        SimulatorConfig d = disabled();
        IdFormat idFormat = n.choice("id-format", d.idFormat, IdFormat.class, IdFormat::spelling);
        SimulatorConfig s = new SimulatorConfig(
                n.bool("enabled", false),
                n.hostPort("listen", d.listen.toString()),
                n.string("system-id", d.systemId),
                n.string("password", d.password),
                idFormat,
                n.choice("receipt-id-format", idFormat, IdFormat.class, IdFormat::spelling),
                n.duration("receipt-delay", d.receiptDelay, Duration.ZERO, Duration.ofDays(3)),
                n.duration("receipt-jitter", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)),
                n.bool("receipt-tlvs", d.receiptTlvs),
                n.bool("long-dates", d.longDates),
                n.list("outcomes").stream().map(Outcome::read).toList(),
                mix(n.child("receipt-mix")),
                (int) n.integer("throttle-tps", 0, 0, 1_000_000),
                n.duration("drop-binds-every", Duration.ZERO, Duration.ZERO, Duration.ofDays(1)),
                n.string("mo-reply", null),
                (int) n.integer("window", d.window, 1, 100_000),
                (int) n.integer("io-threads", d.ioThreads, 1, 64));
        n.rejectUnknownKeys();
        return s;
    }

    /**
     * {@code receipt-mix: {UNDELIV: 5, EXPIRED: 2}}: percentages of receipts, for destinations no outcome
     * matches, that carry another stat than DELIVRD (chosen at random).
     */
    private static java.util.Map<String, Integer> mix(Node n) {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        int total = 0;
        for (String stat : List.of("UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN")) {
            int pct = (int) n.integer(stat, 0, 0, 100);
            if (pct > 0) {
                m.put(stat, pct);
                total += pct;
            }
        }
        if (total > 100) {
            n.problem("the percentages add up to " + total + " (expected at most 100)");
        }
        n.rejectUnknownKeys();
        return java.util.Map.copyOf(m);
    }

    /** The stat a random receipt gets under {@link #receiptMix}, given a uniform number in [0, 100). */
    public String mixedStat(double uniform100) {
        double acc = 0;
        for (java.util.Map.Entry<String, Integer> e : receiptMix.entrySet()) {
            acc += e.getValue();
            if (uniform100 < acc) {
                return e.getKey();
            }
        }
        return "DELIVRD";
    }

    /** The scripted outcome for a destination (digits only), the longest matching suffix first. */
    public Outcome outcomeFor(String destinationDigits) {
        Outcome best = null;
        for (Outcome o : outcomes) {
            if (destinationDigits.endsWith(o.toSuffix())
                    && (best == null || o.toSuffix().length() > best.toSuffix().length())) {
                best = o;
            }
        }
        return best;
    }
}
