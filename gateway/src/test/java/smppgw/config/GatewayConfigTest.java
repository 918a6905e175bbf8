package smppgw.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest {
    private static final String OK = """
            data-dir: ./data
            http:
              listen: 127.0.0.1:8080
            operators:
              - name: orange
                prefixes: ["+336", "+337"]
                default: true
                tps: 0
                binds:
                  - host: 127.0.0.1
                    port: 2775
                    system-id: test
                    password: test
                    count: 2
                    window: 100
                    type: transceiver
            simulator:
              enabled: true
              listen: 127.0.0.1:2775
            """;

    private static GatewayConfig parse(String yaml) {
        return GatewayConfig.parse("gw.yaml", yaml, Path.of("/srv/smppgw"));
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void theDocumentedShapeLoadsWithDefaults() {
        GatewayConfig c = parse(OK);
        assertEquals(Path.of("/srv/smppgw/data"), c.dataDir());
        OperatorConfig o = c.operators().get(0);
        assertEquals("orange", o.name());
        assertTrue(o.isDefault());
        BindConfig b = o.binds().get(0);
        assertEquals(2, b.count());
        assertEquals(100, b.window());
        assertEquals(BindConfig.BindType.TRANSCEIVER, b.type());
        assertEquals(Duration.ofSeconds(30), b.enquireLinkInterval());
        assertEquals(Duration.ofHours(72), c.store().receiptWindow());
        assertEquals(Duration.ofDays(90), c.store().retention());
        assertTrue(c.simulator().enabled());
        assertEquals(1, c.smppClient().ioThreads());
    }

    @Test
    void sendWindowsNeedADefaultTimeZoneForNumbersNoTablePlaces() {
        List<String> p = problems(OK + "compliance:\n  send-windows:\n    promotional: {from: \"10:00\", to: \"20:00\"}\n");
        assertEquals(1, p.size(), p::toString);
        assertTrue(p.get(0).startsWith("gw.yaml: compliance.default-time-zone = (none) (expected a time zone such as Europe/Paris: send-windows"), p.get(0));
        assertEquals(java.time.ZoneId.of("Europe/Paris"), parse(OK + "compliance:\n  default-time-zone: Europe/Paris\n  send-windows:\n"
                + "    promotional: {from: \"10:00\", to: \"20:00\"}\n").compliance().defaultTimeZone());
        assertEquals(null, parse(OK).compliance().defaultTimeZone(), "no windows: none needed, none assumed");
    }

    @Test
    void retentionMustCoverWhatTheCapAndReplyMatchingLookBackOn() {
        assertEquals(List.of("gw.yaml: store.retention = 5d (expected at least compliance.frequency-cap.period (7d):"
                        + " the cap counts the messages a recipient got in that period)"),
                problems(OK + "store: {retention: 5d}\n"));
        assertEquals(List.of("gw.yaml: store.retention = 1d (expected at least tracking.reply-window (2d):"
                        + " a reply is matched to the message it answers)"),
                problems(OK + "store: {retention: 1d}\ncompliance: {frequency-cap: {max: 0}}\ntracking: {reply-window: 48h}\n"));
        assertEquals(List.of("gw.yaml: store.retention = 12h (expected a duration between 1d and 3650d)"), problems(OK + "store: {retention: 12h}\n"));
        assertEquals(Duration.ofDays(7), parse(OK + "store: {retention: 7d}\n").store().retention());
    }

    @Test
    void badValuesNameFileKeyPathValueAndExpectation() {
        List<String> p = problems(OK.replace("tps: 0", "tps: -3").replace("window: 100", "window: 0")
                .replace("type: transceiver", "type: receiver"));
        assertEquals(List.of(
                "gw.yaml: operators[0].tps = -3 (expected between 0 and 1000000)",
                "gw.yaml: operators[0].binds[0].window = 0 (expected between 1 and 10000)",
                "gw.yaml: operators[0].binds[0].type = receiver (expected one of transceiver, transmitter+receiver)"), p);
    }

    @Test
    void unknownKeysAreErrorsThatListTheKnownOnes() {
        List<String> p = problems(OK.replace("    tps: 0", "    tps: 0\n    tpss: 5"));
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("gw.yaml: operators[0].tpss: unknown key (expected one of: name, prefixes, default, tps"), p.get(0));
    }

    @Test
    void impossibleCombinationsAreRejected() {
        String twoDefaults = OK + """
                  - name: sfr
                    default: true
                    binds: [{host: 127.0.0.1, system-id: x}]
                """;
        twoDefaults = twoDefaults.replace("simulator:\n  enabled: true\n  listen: 127.0.0.1:2775\n", "")
                + "simulator: {enabled: false}\n";
        assertEquals(List.of("gw.yaml: operators[1].default = true (expected at most one default operator ('orange' is already the default))"),
                problems(twoDefaults));
        assertEquals(List.of("gw.yaml: operators[0].binds[0].enquire-link-interval = 5s (expected > response-timeout (10s))"),
                problems(OK.replace("type: transceiver", "type: transceiver\n        enquire-link-interval: 5s")));
        assertEquals(List.of("gw.yaml: http.listen = 0.0.0.0:8080 (expected a loopback address (127.0.0.1, ::1, localhost): "
                + "with no clients configured the HTTP API takes unauthenticated requests)"), problems(OK.replace("127.0.0.1:8080", "0.0.0.0:8080")));
    }

    @Test
    void withClientsTheApiMayListenBeyondLoopbackAndKeysMustBeUnique() {
        String clients = "clients:\n  - {name: acme, api-key: k0123456789abcdef, system-id: acme, password: pw}\n";
        GatewayConfig c = parse(OK.replace("127.0.0.1:8080", "0.0.0.0:8080") + clients);
        assertEquals(1, c.clients().size());
        assertEquals(List.of("transceiver", "transmitter", "receiver"), c.clients().get(0).bindTypes());
        assertEquals(List.of("gw.yaml: clients[1].api-key = **** (expected a key no other client uses)",
                        "gw.yaml: clients[1].system-id = acme (expected a system-id no other client uses)"),
                problems(OK + clients + "  - {name: beta, api-key: k0123456789abcdef, system-id: acme, password: pw}\n"));
        assertEquals(List.of("gw.yaml: clients[0].api-key = **** (expected at least 16 characters of letters, digits or -_.~+/=)"),
                problems(OK + "clients:\n  - {name: acme, api-key: short}\n"));
    }

    @Test
    void missingRequiredAndWrongTypes() {
        List<String> p = problems("""
                operators:
                  - name: Bad Name
                    binds:
                      - port: 99999
                        system-id: averyveryverylongsystemid
                """);
        assertEquals(List.of(
                "gw.yaml: operators[0].name = Bad Name (expected lower-case letters, digits, '-' or '_', at most 32 characters)",
                "gw.yaml: operators[0].binds[0].host: missing (required)",
                "gw.yaml: operators[0].binds[0].port = 99999 (expected between 1 and 65535)",
                "gw.yaml: operators[0].binds[0].system-id = averyveryverylongsystemid (expected at most 15 characters (SMPP 3.4))",
                "gw.yaml: operators[0]: prefixes: an operator needs prefixes or 'default: true'"), p);
    }

    @Test
    void notYamlAtAll() {
        assertEquals(1, problems("operators: [unclosed").size());
        assertTrue(problems("operators: [unclosed").get(0).startsWith("gw.yaml: not valid YAML"));
    }

    @Test
    void printedConfigMasksPasswords() {
        String out = ConfigPrinter.toYaml(parse(OK));
        assertTrue(out.contains("password: '****'") || out.contains("password: \"****\""), out);
        assertFalse(out.contains("password: test"), out);
        assertTrue(out.contains("enquire-link-interval: 30s"), out);
        // what it prints is itself a valid configuration
        parse(out.replace("data-dir: /srv/smppgw/data", "data-dir: ./data"));
    }

    @Test
    void theShippedDefaultConfigIsValid() {
        GatewayConfig c = GatewayConfig.load(Path.of(System.getProperty("user.dir")).resolve("../config/gateway.yaml").normalize());
        assertTrue(c.simulator().enabled());
        assertEquals(1, c.operators().size());
    }

    @Test
    void secretsComeFromTheEnvironmentOrFromFilesSoTheYamlNeedNotHoldThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("bind.pw"), "s3cret\n");
        java.nio.file.Files.writeString(dir.resolve("acme.key"), "acme-key-from-a-file-0123\n");
        String yaml = OK.replace("password: test", "password-file: bind.pw")
                + "clients:\n  - {name: acme, api-key: \"${ACME_KEY}\", webhook-url: \"http://127.0.0.1:9/h\", webhook-secret: \"${HOOK}\"}\n"
                + "  - {name: beta, api-key-file: acme.key}\n"
                + "admin: {api-key: \"admin-${ADMIN_PART}-0123456789\"}\n";
        java.util.Map<String, String> env = java.util.Map.of("ACME_KEY", "acme-key-from-env-0123", "HOOK", "hook-secret-0123456789",
                "ADMIN_PART", "xyz");
        GatewayConfig c = GatewayConfig.parse(dir.resolve("gw.yaml").toString(), yaml, dir, env::get);
        assertEquals("s3cret", c.operators().get(0).binds().get(0).password(), "first line of the file, relative to the config's directory");
        assertEquals("acme-key-from-env-0123", c.clients().get(0).apiKey());
        assertEquals("hook-secret-0123456789", c.clients().get(0).webhookSecret());
        assertEquals("acme-key-from-a-file-0123", c.clients().get(1).apiKey());
        assertEquals("admin-xyz-0123456789", c.admin().apiKey());
        assertEquals(false, c.holdsSecrets(), "no secret written in the file: no warning when others can read it");
        assertEquals(true, parse(OK).holdsSecrets(), "a bind password in the file");

        List<String> p = assertThrows(ConfigException.class, () -> GatewayConfig.parse(dir.resolve("gw.yaml").toString(),
                yaml.replace("password-file: bind.pw", "password-file: missing.pw"), dir, java.util.Map.of("HOOK", "hook-secret-0123456789")::get)).problems();
        assertTrue(p.stream().anyMatch(x -> x.contains("clients[0].api-key: environment variable ACME_KEY is not set")), p::toString);
        assertTrue(p.stream().anyMatch(x -> x.contains("password-file") && x.contains("missing.pw") && x.contains("a readable file")), p::toString);
        assertTrue(p.stream().noneMatch(x -> x.contains("s3cret") || x.contains("hook-secret")), "no secret in an error: " + p);
        List<String> both = problems(OK.replace("password: test", "password: test\n        password-file: /etc/hostname"));
        assertTrue(both.stream().anyMatch(x -> x.contains("either password or password-file")), both::toString);
    }

    @Test
    void aDuplicateKeyOrBrokenYamlIsRefusedWithItsLineAndColumn() {
        List<String> dup = problems(OK + "http:\n  listen: 0.0.0.0:80\n");
        assertEquals(1, dup.size(), dup::toString);
        assertTrue(dup.get(0).matches("gw\\.yaml: not valid YAML at line 2[0-9], column [0-9]+: duplicate key 'http'.*"), dup::toString);
        List<String> broken = problems("data-dir: ./data\nhttp:\n  listen: [127.0.0.1\n");
        assertTrue(broken.get(0).matches("gw\\.yaml: not valid YAML at line [34], column [0-9]+: .*"), broken::toString);
    }
}
