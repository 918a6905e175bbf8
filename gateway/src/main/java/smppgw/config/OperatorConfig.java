package smppgw.config;

import java.time.Duration;
import java.util.List;

/** A carrier: the destinations it takes, its throughput limit and its SMSC binds. */
public record OperatorConfig(
        String name,
        List<String> prefixes,
        boolean isDefault,
        int tps,
        long maxBacklog,
        Duration validity,
        AdaptiveConfig adaptive,
        EncodingConfig encoding,
        RetryConfig retry,
        List<BindConfig> binds,
        ReceiptsConfig receipts,
        Duration maxBacklogTime) {

    /** Without a time bound on the backlog (tests and tools). */
    public OperatorConfig(String name, List<String> prefixes, boolean isDefault, int tps, long maxBacklog, Duration validity,
                          AdaptiveConfig adaptive, EncodingConfig encoding, RetryConfig retry, List<BindConfig> binds, ReceiptsConfig receipts) {
        this(name, prefixes, isDefault, tps, maxBacklog, validity, adaptive, encoding, retry, binds, receipts, Duration.ZERO);
    }

    /**
     * How the carrier's receipts are matched. {@code idFormat}: how they write the message id relative to submit_sm_resp
     * ({@code same}, {@code hex-to-dec}, {@code dec-to-hex}), or null ({@code auto}) to learn it from receipts that can be
     * read one way only. {@code queryAfter}: a message still without a final receipt this long after its submit_sm_resp
     * is asked about with query_sm (zero: never).
     */
    public record ReceiptsConfig(smppgw.model.ReceiptIdFormat idFormat, Duration queryAfter) {
        public static final ReceiptsConfig DEFAULT = new ReceiptsConfig(null, Duration.ZERO);

        static ReceiptsConfig read(Node n) {
            String f = n.string("id-format", "auto");
            smppgw.model.ReceiptIdFormat format = null;
            if (!f.equals("auto")) {
                try {
                    format = smppgw.model.ReceiptIdFormat.ofLabel(f);
                } catch (IllegalArgumentException e) {
                    n.problem("id-format", f, "auto, same, hex-to-dec or dec-to-hex");
                }
            }
            ReceiptsConfig r = new ReceiptsConfig(format, n.duration("query-after", Duration.ZERO, Duration.ZERO, Duration.ofDays(3)));
            n.rejectUnknownKeys();
            return r;
        }

        /** {@code auto} or the format's name. */
        public String idFormatLabel() {
            return idFormat == null ? "auto" : idFormat.label();
        }
    }

    /**
     * How texts travel to this carrier: data_coding for GSM 03.38 (0x00 SMSC default, or 0x01 for carriers
     * that want it), septets unpacked (one per byte) or packed, how long texts are cut (UDH with an 8 or 16-bit
     * reference, SAR TLVs, or one message_payload), and the most parts a message may take.
     */
    public record EncodingConfig(int gsmDataCoding, boolean packed, smppgw.text.Segments.Concatenation concatenation, int maxSegments) {
        public static final EncodingConfig DEFAULT = new EncodingConfig(0, false, smppgw.text.Segments.Concatenation.UDH8, 10);

        static EncodingConfig read(Node n) {
            int dc = (int) n.integer("gsm-data-coding", 0, 0, 1);
            String packing = n.string("packing", "unpacked");
            if (!packing.equals("unpacked") && !packing.equals("packed")) {
                n.problem("packing", packing, "unpacked or packed");
            }
            EncodingConfig e = new EncodingConfig(dc, packing.equals("packed"),
                    n.choice("concatenation", smppgw.text.Segments.Concatenation.UDH8, smppgw.text.Segments.Concatenation.class,
                            c -> c.name().toLowerCase(java.util.Locale.ROOT)),
                    (int) n.integer("max-segments", 10, 1, 255));
            n.rejectUnknownKeys();
            return e;
        }
    }

    /**
     * How the send rate follows the SMSC's throttling answers: cut by {@code decrease} (at most once per
     * {@code hold}), then recover by {@code increase} of the limit per second; never below {@code minTps}.
     */
    public record AdaptiveConfig(double decrease, double increase, int minTps, Duration hold) {
        static AdaptiveConfig read(Node n) {
            AdaptiveConfig a = new AdaptiveConfig(
                    n.decimal("decrease", 0.85, 0.05, 0.99),
                    n.decimal("increase", 0.05, 0.001, 1.0),
                    (int) n.integer("min-tps", 1, 1, 1_000_000),
                    n.duration("hold", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(10)));
            n.rejectUnknownKeys();
            return a;
        }
    }

    /** How transient submit errors are retried: exponential back-off with jitter, bounded. */
    public record RetryConfig(int maxAttempts, Duration minBackoff, Duration maxBackoff) {
        static RetryConfig read(Node n) {
            RetryConfig r = new RetryConfig(
                    (int) n.integer("max-attempts", 10, 1, 1000),
                    n.duration("min-backoff", Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofHours(1)),
                    n.duration("max-backoff", Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofHours(24)));
            if (r.minBackoff.compareTo(r.maxBackoff) > 0) {
                n.problem("min-backoff", Node.format(r.minBackoff), "<= max-backoff (" + Node.format(r.maxBackoff) + ")");
            }
            n.rejectUnknownKeys();
            return r;
        }
    }

    static OperatorConfig read(Node n) {
        String name = n.requiredString("name");
        if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            n.problem("name", name, "lower-case letters, digits, '-' or '_', at most 32 characters");
        }
        List<String> prefixes = n.strings("prefixes");
        for (int i = 0; i < prefixes.size(); i++) {
            if (!prefixes.get(i).matches("\\+[0-9]{1,15}")) {
                n.problem("prefixes[" + i + "]", prefixes.get(i), "'+' and country code digits, e.g. +336");
            }
        }
        boolean dflt = n.bool("default", false);
        int tps = (int) n.integer("tps", 0, 0, 1_000_000);
        long maxBacklog = n.integer("max-backlog", 5_000_000, 1, 1_000_000_000);
        Duration maxBacklogTime = n.duration("max-backlog-time", Duration.ofMinutes(2), Duration.ZERO, Duration.ofDays(7));
        Duration validity = n.duration("validity", Duration.ofHours(48), Duration.ofSeconds(10), Duration.ofDays(30));
        AdaptiveConfig adaptive = AdaptiveConfig.read(n.child("adaptive"));
        EncodingConfig encoding = EncodingConfig.read(n.child("encoding"));
        RetryConfig retry = RetryConfig.read(n.child("retry"));
        List<BindConfig> binds = n.list("binds").stream().map(BindConfig::read).toList();
        ReceiptsConfig receipts = ReceiptsConfig.read(n.child("receipts"));
        if (binds.isEmpty()) {
            n.problem("binds: at least one bind is required");
        }
        if (prefixes.isEmpty() && !dflt) {
            n.problem("prefixes: an operator needs prefixes or 'default: true'");
        }
        n.rejectUnknownKeys();
        return new OperatorConfig(name, List.copyOf(prefixes), dflt, tps, maxBacklog, validity, adaptive, encoding, retry, binds, receipts,
                maxBacklogTime);
    }
}
