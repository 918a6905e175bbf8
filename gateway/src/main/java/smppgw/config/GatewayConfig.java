package smppgw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole validated configuration. Immutable; built only through {@link #load} or {@link #parse}. */
public record GatewayConfig(
        String source,
        Path dataDir,
        String defaultCountryCode,
        HttpConfig http,
        SmppServerConfig smppServer,
        AdminConfig admin,
        MetricsConfig metrics,
        IntakeConfig intake,
        SmppClientConfig smppClient,
        StoreConfig store,
        LogConfig log,
        ComplianceConfig compliance,
        TrackingConfig tracking,
        List<OperatorConfig> operators,
        List<ClientConfig> clients,
        SimulatorConfig simulator,
        boolean holdsSecrets) {

    /** {@code maxBatch}: messages in one {@code POST /v1/messages/batch}. */
    /**
     * The HTTP API. {@code requestTimeout}: a request must arrive whole (headers and body) this long after its first
     * byte (else 408 and the connection closes); {@code idleTimeout}: a connection with no request for this long is
     * closed; {@code maxConnections}, {@code maxConnectionsPerIp}: beyond them a new connection gets 503
     * {@code too_many_connections} and is closed.
     */
    public record HttpConfig(HostPort listen, int ioThreads, int maxBodyBytes, int maxBatch, Duration requestTimeout,
                             Duration idleTimeout, int maxConnections, int maxConnectionsPerIp, TlsConfig tls) {
        static HttpConfig read(Node n) {
            HttpConfig h = new HttpConfig(
                    n.hostPort("listen", "127.0.0.1:8080"),
                    (int) n.integer("io-threads", 1, 1, 64),
                    (int) n.integer("max-body-bytes", 4 << 20, 1024, 64 << 20),
                    (int) n.integer("max-batch", 1000, 1, 100_000),
                    n.duration("request-timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10)),
                    n.duration("idle-timeout", Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofDays(1)),
                    (int) n.integer("max-connections", 8192, 1, 1_000_000),
                    (int) n.integer("max-connections-per-ip", 1024, 1, 1_000_000),
                    TlsConfig.readServer(n));
            n.rejectUnknownKeys();
            return h;
        }
    }

    /**
     * The SMPP server integrators bind to (off unless {@code listen} is set). {@code window}: deliver_sm
     * (receipts, MO) outstanding per bind; {@code idleTimeout}: a bind with no PDU for this long is unbound.
     */
    public record SmppServerConfig(HostPort listen, int ioThreads, int window, java.time.Duration idleTimeout,
                                   java.time.Duration bindTimeout, java.time.Duration frameTimeout, int maxConnections,
                                   int maxConnectionsPerIp, TlsConfig tls) {
        public boolean enabled() {
            return listen != null;
        }

        static SmppServerConfig read(Node n) {
            String listen = n.string("listen", null);
            SmppServerConfig c = new SmppServerConfig(
                    listen == null ? null : n.hostPort("listen", null),
                    (int) n.integer("io-threads", 1, 1, 64),
                    (int) n.integer("window", 100, 1, 10_000),
                    n.duration("idle-timeout", Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofDays(1)),
                    n.duration("bind-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10)),
                    n.duration("frame-timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(10)),
                    (int) n.integer("max-connections", 1024, 1, 1_000_000),
                    (int) n.integer("max-connections-per-ip", 64, 1, 1_000_000),
                    TlsConfig.readServer(n));
            n.rejectUnknownKeys();
            return c;
        }
    }

    /**
     * The admin API ({@code /admin/...}): with an api-key, any peer with the key; without one, loopback peers with the
     * token the gateway writes to {@code <data-dir>/admin.token}. {@code allowedHosts}: host names (besides IP addresses
     * and localhost) a request's Host may name, e.g. the name a reverse proxy forwards under.
     */
    public record AdminConfig(String apiKey, java.util.Set<String> allowedHosts) {
        static AdminConfig read(Node n) {
            String key = n.secret("api-key", null);
            if (key != null && key.length() < 16) {
                n.problem("api-key", "****", "at least 16 characters");
            }
            java.util.Set<String> hosts = new java.util.LinkedHashSet<>();
            for (String h : n.strings("allowed-hosts")) {
                hosts.add(h.toLowerCase(java.util.Locale.ROOT));
            }
            n.rejectUnknownKeys();
            return new AdminConfig(key, java.util.Set.copyOf(hosts));
        }
    }

    /** Bounds for all operators together: above {@code maxBacklog} waiting messages, intake answers 429. */
    public record IntakeConfig(long maxBacklog) {
        static IntakeConfig read(Node n) {
            IntakeConfig c = new IntakeConfig(n.integer("max-backlog", 20_000_000, 1, 10_000_000_000L));
            n.rejectUnknownKeys();
            return c;
        }
    }

    /** Netty event loop of the SMPP client binds. One I/O thread is fastest on small machines. */
    public record SmppClientConfig(int ioThreads) {
        static SmppClientConfig read(Node n) {
            SmppClientConfig c = new SmppClientConfig((int) n.integer("io-threads", 1, 1, 64));
            n.rejectUnknownKeys();
            return c;
        }
    }

    /**
     * The store: {@code receiptWindow} is how long a submitted message waits for its receipt before it
     * is recorded as having none; {@code maxBatch} bounds one write batch of the journal thread.
     */
    /** {@code retention}: how long message text and numbers are kept (journal, queues, state); aggregates stay. */
    public record StoreConfig(Duration receiptWindow, int maxBatch, int commandQueue, long minFreeDiskMb, Duration retention,
                              KafkaStoreConfig kafka) {
        static StoreConfig read(Node n, Node root) {
            String type = n.string("type", "chronicle");
            KafkaStoreConfig kafka = null;
            if (type.equals("kafka")) {
                kafka = KafkaStoreConfig.read(n.child("kafka"), root.child("cluster"));
            } else if (!type.equals("chronicle")) {
                n.problem("type", type, "chronicle (the default: the embedded journal) or kafka");
            } else if (n.has("kafka") || root.has("cluster")) {
                n.problem("type", type, "kafka, for store.kafka and cluster to mean anything (or remove them)");
            }
            StoreConfig s = new StoreConfig(
                    n.duration("receipt-window", Duration.ofHours(72), Duration.ofSeconds(1), Duration.ofDays(30)),
                    (int) n.integer("max-batch", 512, 1, 65_536),
                    (int) n.integer("command-queue", 65_536, 16, 1 << 22),
                    n.integer("min-free-disk-mb", 512, 1, 1 << 30),
                    n.duration("retention", Duration.ofDays(90), Duration.ofDays(1), Duration.ofDays(3650)), kafka);
            n.rejectUnknownKeys();
            return s;
        }
    }

    /** {@code privacy: true} masks phone numbers in logs and never logs message text. */
    public record LogConfig(boolean privacy, boolean stateChanges) {
        static LogConfig read(Node n) {
            LogConfig l = new LogConfig(n.bool("privacy", true), n.bool("state-changes", false));
            n.rejectUnknownKeys();
            return l;
        }
    }

    /**
     * How "read" is approximated. {@code replyWindow}: a handset message from a number within this time after a
     * message was accepted for it, sent to that message's sender address, marks the message READ via reply
     * (0 turns it off). {@code baseUrl}: where tracking links point ({@code baseUrl/token}); the gateway serves
     * {@code GET /r/{token}}, reached through the operator's reverse proxy. Null: no link tracking.
     * {@code promoAlphabet} / {@code promoLength}: what a {@code {promo}} placeholder becomes, unique per message.
     */
    public record TrackingConfig(Duration replyWindow, String baseUrl, String promoAlphabet, int promoLength) {
        /** Upper-case letters and digits without the ones that read alike (0/O, 1/I/L). */
        public static final String PROMO_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

        static TrackingConfig read(Node n) {
            Node promo = n.child("promo-code");
            String alphabet = promo.string("alphabet", PROMO_ALPHABET);
            if (!alphabet.matches("[A-Za-z0-9]{10,62}") || alphabet.chars().distinct().count() != alphabet.length()) {
                n.problem("promo-code.alphabet", alphabet, "10 to 62 distinct letters or digits");
            }
            int length = (int) promo.integer("length", 8, 4, 16);
            promo.rejectUnknownKeys();
            String base = n.string("base-url", null);
            if (base != null) {
                if (!base.matches("https?://[^\\s/]+(/[^\\s]*)?")) {
                    n.problem("base-url", base, "an http(s) URL such as https://go.example.com/r (links become <base-url>/<token>)");
                }
                base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            }
            TrackingConfig t = new TrackingConfig(n.duration("reply-window", Duration.ofHours(48), Duration.ZERO, Duration.ofDays(30)), base,
                    alphabet, length);
            n.rejectUnknownKeys();
            return t;
        }
    }

    /** Duplicate keys (two {@code http:} blocks) are an error, not the last one silently winning. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public static GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read (" + e + ")"));
        }
        return parse(file.toString(), text, Path.of("").toAbsolutePath());
    }

    /**
     * Only the data directory a configuration file names, whatever else is wrong with it (what the CLI needs to find the
     * admin token, also when the file it is about to have reloaded is invalid); relative to the working directory.
     */
    public static Path dataDirOf(Path file) {
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            JsonNode d = tree == null ? null : tree.get("data-dir");
            return Path.of("").toAbsolutePath().resolve(d != null && d.isTextual() ? d.textValue() : "./data").normalize();
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read (" + e.getMessage() + ")"));
        }
    }

    /** Parses and validates; a relative data-dir resolves against {@code baseDir} (the working directory). */
    public static GatewayConfig parse(String source, String yaml, Path baseDir) {
        return parse(source, yaml, baseDir, System::getenv);
    }

    /** The same, {@code ${NAME}} in values taken from {@code env}. */
    public static GatewayConfig parse(String source, String yaml, Path baseDir, java.util.function.UnaryOperator<String> env) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            String at = "";
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    && j.getLocation().getLineNr() > 0) {
                at = " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
                msg = msg.replaceFirst("^Duplicate field '([^']*)'.*", "duplicate key '$1' (each key once per mapping)");
            }
            throw new ConfigException(List.of(source + ": not valid YAML" + at + ": " + msg));
        }
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(List.of(source + ": expected a YAML mapping at the top level"));
        }
        List<String> problems = new ArrayList<>();
        Node root = Node.root(source, tree, problems, env);
        String dataDir = root.string("data-dir", "./data");
        String cc = root.string("default-country-code", "");
        if (!cc.isEmpty() && !cc.matches("[1-9][0-9]{0,2}")) {
            root.problem("default-country-code", cc, "a country calling code without '+', e.g. 33");
        }
        HttpConfig http = HttpConfig.read(root.child("http"));
        SmppServerConfig smppServer = SmppServerConfig.read(root.child("smpp-server"));
        AdminConfig admin = AdminConfig.read(root.child("admin"));
        MetricsConfig metrics = MetricsConfig.read(root.child("metrics"));
        IntakeConfig intake = IntakeConfig.read(root.child("intake"));
        SmppClientConfig smpp = SmppClientConfig.read(root.child("smpp-client"));
        StoreConfig store = StoreConfig.read(root.child("store"), root);
        LogConfig log = LogConfig.read(root.child("log"));
        ComplianceConfig compliance = ComplianceConfig.read(root.child("compliance"));
        TrackingConfig tracking = TrackingConfig.read(root.child("tracking"));
        List<OperatorConfig> operators = root.list("operators").stream().map(OperatorConfig::read).toList();
        List<ClientConfig> clients = root.list("clients").stream().map(ClientConfig::read).toList();
        if (clients.isEmpty() && !http.listen().isLoopback()) {
            root.problem("http.listen", http.listen(), "a loopback address (127.0.0.1, ::1, localhost): with no clients"
                    + " configured the HTTP API takes unauthenticated requests");
        }
        ConfigChecks.clients(root, clients);
        if (compliance.capMax() > 0 && store.retention().compareTo(compliance.capPeriod()) < 0) {
            root.problem("store.retention", Durations.format(store.retention()), "at least compliance.frequency-cap.period ("
                    + Durations.format(compliance.capPeriod()) + "): the cap counts the messages a recipient got in that period");
        }
        if (store.retention().compareTo(tracking.replyWindow()) < 0) {
            root.problem("store.retention", Durations.format(store.retention()), "at least tracking.reply-window ("
                    + Durations.format(tracking.replyWindow()) + "): a reply is matched to the message it answers");
        }
        SimulatorConfig sim = root.has("simulator") ? SimulatorConfig.read(root.child("simulator")) : SimulatorConfig.disabled();
        root.rejectUnknownKeys();
        ConfigChecks.operators(root, operators);
        ConfigChecks.smppServer(root, smppServer, clients, store, admin);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Path dir = Path.of(dataDir);
        if (!dir.isAbsolute() && baseDir != null) {
            dir = baseDir.resolve(dir).normalize();
        }
        return new GatewayConfig(source, dir, cc, http, smppServer, admin, metrics, intake, smpp, store, log, compliance, tracking, operators, clients,
                sim, root.holdsLiteralSecrets());
    }

    /**
     * Operator → the operator whose name its receipts are matched under. Operators that bind to the same SMSC
     * account (host, port, system-id) share the first one's: the SMSC may deliver a receipt on any bind of the
     * account, whichever operator sent the message. Every other operator is its own.
     */
    public Map<String, String> receiptDomains() {
        Map<String, String> domains = new java.util.LinkedHashMap<>();
        Map<String, String> byAccount = new HashMap<>();
        for (OperatorConfig op : operators) {
            String domain = op.name();
            for (BindConfig b : op.binds()) {
                String owner = byAccount.get(b.host() + ':' + b.port() + ':' + b.systemId());
                if (owner != null && !owner.equals(op.name())) {
                    domain = domains.get(owner);
                    break;
                }
            }
            domains.put(op.name(), domain);
            for (BindConfig b : op.binds()) {
                byAccount.putIfAbsent(b.host() + ':' + b.port() + ':' + b.systemId(), op.name());
            }
        }
        return domains;
    }

    /**
     * SMSC account (as {@link #receiptDomains} names it) → the receipt id format its operators configure; accounts left
     * to learn it ({@code auto}) are not in it.
     */
    public Map<String, smppgw.model.ReceiptIdFormat> receiptIdFormats() {
        Map<String, smppgw.model.ReceiptIdFormat> out = new java.util.LinkedHashMap<>();
        Map<String, String> domains = receiptDomains();
        for (OperatorConfig op : operators) {
            if (op.receipts().idFormat() != null) {
                out.put(domains.get(op.name()), op.receipts().idFormat());
            }
        }
        return out;
    }

    public OperatorConfig operator(String name) {
        return operators.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }
}
