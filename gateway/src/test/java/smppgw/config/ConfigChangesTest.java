package smppgw.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a reload may apply in place, what needs a restart, and which operators share receipts. */
class ConfigChangesTest {
    private static GatewayConfig parse(String operators, String clients) {
        return GatewayConfig.parse("t", "data-dir: /tmp/x\noperators:\n" + operators + (clients == null ? "" : "clients:\n" + clients),
                Path.of("/tmp"));
    }

    private static String op(String name, String prefix, int tps, String host, int count) {
        return "  - {name: " + name + ", prefixes: [\"" + prefix + "\"], tps: " + tps + ", binds: [{host: " + host
                + ", system-id: gw, count: " + count + "}]}\n";
    }

    @Test
    void throttlesBindCountsRoutesAndKeysApplyInPlaceNamedAsInTheFile() {
        GatewayConfig a = parse(op("fr", "+33", 100, "smsc1", 2) + op("de", "+49", 0, "smsc2", 1), "  - {name: acme, api-key: k0123456789abcdef}\n");
        GatewayConfig b = parse(op("fr", "+33", 50, "smsc1", 3) + op("de", "+4915", 0, "smsc2", 1),
                "  - {name: acme, api-key: k0123456789abcdeX, tps: 10}\n  - {name: beta, api-key: b0123456789abcdef}\n");
        assertEquals(List.of(), ConfigChanges.needingRestart(a, b));
        assertEquals(List.of("operators[fr].tps", "operators[fr].binds", "operators[de].prefixes", "clients[acme].api-key",
                "clients[acme].tps", "clients[beta] added"), ConfigChanges.applied(a, b));
        assertEquals(List.of(), ConfigChanges.applied(a, a));
    }

    @Test
    void listenersOperatorSetAndNotificationsNeedARestart() {
        GatewayConfig a = parse(op("fr", "+33", 0, "smsc1", 1), null);
        GatewayConfig b = GatewayConfig.parse("t", "data-dir: /tmp/y\nhttp: {listen: 127.0.0.1:9090}\noperators:\n" + op("de", "+49", 0, "smsc1", 1)
                + "clients:\n  - {name: acme, system-id: acme, password: pw}\n", Path.of("/tmp"));
        assertEquals(List.of("data-dir", "http.listen", "operators[fr] removed", "operators[de] added",
                "clients[acme] added with system-id, webhook or mo-numbers"), ConfigChanges.needingRestart(a, b));
    }

    @Test
    void operatorsOnOneSmscAccountShareTheFirstOnesReceiptDomain() {
        GatewayConfig c = parse(op("a", "+33", 0, "smsc1", 1) + op("b", "+34", 0, "smsc2", 1) + op("c", "+35", 0, "smsc1", 1), null);
        assertEquals(Map.of("a", "a", "b", "b", "c", "a"), c.receiptDomains());
        GatewayConfig moved = parse(op("a", "+33", 0, "smsc1", 1) + op("b", "+34", 0, "smsc2", 1) + op("c", "+35", 0, "smsc3", 1), null);
        List<String> restart = ConfigChanges.needingRestart(c, moved);
        assertEquals(1, restart.size(), restart.toString());
        assertTrue(restart.get(0).startsWith("operators[c].binds: no longer share an SMSC account with a"), restart.get(0));
    }
}
