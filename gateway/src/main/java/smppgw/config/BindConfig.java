package smppgw.config;

import java.time.Duration;

/** One SMSC account an operator binds to, {@code count} times in parallel; {@code tls} null: plain TCP. */
public record BindConfig(
        String host,
        int port,
        String systemId,
        String password,
        String systemType,
        int count,
        int window,
        int tps,
        BindType type,
        Duration enquireLinkInterval,
        Duration responseTimeout,
        Duration bindTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        TlsConfig tls) {

    /** Everything that makes a bind what it is, without how many there are and their rate: equal accounts can keep a bind across a reload. */
    public BindConfig account() {
        return new BindConfig(host, port, systemId, password, systemType, 1, window, 0, type, enquireLinkInterval, responseTimeout,
                bindTimeout, reconnectMin, reconnectMax, tls);
    }

    public enum BindType {
        TRANSCEIVER("transceiver"),
        TRANSMITTER_RECEIVER("transmitter+receiver");

        private final String spelling;

        BindType(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    static BindConfig read(Node n) {
        BindConfig b = new BindConfig(
                n.requiredString("host"),
                (int) n.integer("port", 2775, 1, 65535),
                n.requiredString("system-id"),
                n.secret("password", ""),
                n.string("system-type", ""),
                (int) n.integer("count", 1, 1, 64),
                (int) n.integer("window", 100, 1, 10_000),
                (int) n.integer("tps", 0, 0, 1_000_000),
                n.choice("type", BindType.TRANSCEIVER, BindType.class, BindType::spelling),
                n.duration("enquire-link-interval", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1)),
                n.duration("response-timeout", Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMinutes(10)),
                n.duration("bind-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10)),
                n.duration("reconnect-min", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofHours(1)),
                n.duration("reconnect-max", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1)),
                TlsConfig.readClient(n));
        if (b.systemId.length() > 15) {
            n.problem("system-id", b.systemId, "at most 15 characters (SMPP 3.4)");
        }
        if (b.password.length() > 8) {
            n.problem("password", "****", "at most 8 characters (SMPP 3.4)");
        }
        if (b.reconnectMin.compareTo(b.reconnectMax) > 0) {
            n.problem("reconnect-min", Node.format(b.reconnectMin), "<= reconnect-max (" + Node.format(b.reconnectMax) + ")");
        }
        if (b.enquireLinkInterval.compareTo(b.responseTimeout) <= 0) {
            n.problem("enquire-link-interval", Node.format(b.enquireLinkInterval),
                    "> response-timeout (" + Node.format(b.responseTimeout) + ")");
        }
        n.rejectUnknownKeys();
        return b;
    }
}
