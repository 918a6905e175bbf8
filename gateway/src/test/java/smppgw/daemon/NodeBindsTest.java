package smppgw.daemon;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import smppgw.config.BindConfig;
import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.route.BindPlacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeBindsTest {
    private static List<OperatorConfig> operators(String tps) {
        return GatewayConfig.parse("test", "data-dir: /tmp/unused\noperators:\n"
                + "  - name: fr\n    default: true\n" + tps
                + "    binds:\n"
                + "      - {host: 127.0.0.1, port: 2775, system-id: a, password: pw, count: 3}\n"
                + "      - {host: 127.0.0.1, port: 2776, system-id: b, password: pw, count: 2, tps: 40}\n", Path.of("/tmp/unused")).operators();
    }

    @Test
    void everyNodeHoldsItsBindsOnceWithSharesThatAddUpToTheOperatorsRate() {
        for (List<String> nodes : List.of(List.of("gw1"), List.of("gw1", "gw2"), List.of("gw1", "gw2", "gw3"), List.of("a", "b", "c", "d", "e", "f"))) {
            List<OperatorConfig> ops = operators("    tps: 101\n");
            Map<String, List<BindPlacement.Bind>> placed = NodeBinds.place(ops, nodes);
            int a = 0;
            int b = 0;
            int tps = 0;
            for (String n : nodes) {
                OperatorConfig here = NodeBinds.onNode(ops.get(0), placed.get(n));
                for (BindConfig c : here.binds()) {
                    assertEquals(1, c.count(), "one entry per bind");
                    a += c.systemId().equals("a") ? 1 : 0;
                    b += c.systemId().equals("b") ? 1 : 0;
                    tps += c.tps();
                    assertTrue(c.tps() >= 20 && c.tps() <= 21, c + ": 101 tps over 5 binds");
                }
            }
            assertEquals(3, a, "account a's count in the whole group: " + placed);
            assertEquals(2, b, "account b's count in the whole group: " + placed);
            assertEquals(101, tps, "the carrier never sees more than the operator's tps from all nodes: " + placed);
        }
    }

    @Test
    void aBindsOwnRateBoundsItsShareAndNoOperatorRateLeavesIt() {
        List<OperatorConfig> ops = operators("    tps: 1000\n");
        OperatorConfig all = NodeBinds.onNode(ops.get(0), NodeBinds.place(ops, List.of("gw1")).get("gw1"));
        assertEquals(List.of(200, 200, 200, 40, 40), all.binds().stream().map(BindConfig::tps).toList());
        List<OperatorConfig> free = operators("");
        OperatorConfig unlimited = NodeBinds.onNode(free.get(0), NodeBinds.place(free, List.of("gw1")).get("gw1"));
        assertEquals(List.of(0, 0, 0, 40, 40), unlimited.binds().stream().map(BindConfig::tps).toList(), "0: no limit but the bind's own");
        assertEquals(1, NodeBinds.share(2, 5, 4, 0), "below one per bind: one each");
    }

    @Test
    void aNodeWithoutTheOperatorsBindsLinksToEachNodeThatHoldsSomeWithTheirWindows() {
        List<OperatorConfig> ops = operators("    tps: 100\n");
        List<String> nodes = List.of("n1", "n2", "n3", "n4", "n5", "n6", "n7");
        Map<String, List<BindPlacement.Bind>> placed = NodeBinds.place(ops, nodes);
        String without = nodes.stream().filter(n -> placed.get(n).isEmpty()).findFirst().orElseThrow(); // 5 binds, 7 nodes
        Map<String, List<BindPlacement.Bind>> others = new java.util.HashMap<>(placed);
        others.remove(without);
        Map<String, smppgw.config.HostPort> links = new java.util.HashMap<>();
        nodes.forEach(n -> links.put(n, smppgw.config.HostPort.parse("10.0.0." + n.charAt(1) + ":2786")));
        String unreachable = others.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        links.remove(unreachable); // published no link address: not linked to
        List<BindConfig> l = NodeBinds.links(ops.get(0), others, links, "s3cret-link");
        long holding = others.values().stream().filter(b -> !b.isEmpty()).count();
        assertEquals(holding - 1, l.size(), "one link per other node holding binds that has a link: " + l + " " + placed);
        for (BindConfig b : l) {
            String node = "n" + b.host().charAt(b.host().length() - 1);
            assertEquals("fr", b.systemId(), "bound as the operator");
            assertEquals(smppgw.smpp.NodeLink.SYSTEM_TYPE, b.systemType());
            assertEquals("s3cret-link", b.password());
            assertEquals(100 * placed.get(node).size(), b.window(), "the sum of the windows of the holder's binds");
            assertEquals(0, b.tps(), "the holder enforces the rate");
            assertEquals(10_000 + smppgw.smpp.NodeLink.EXTRA_RESPONSE_TIMEOUT_MS, b.responseTimeout().toMillis(), "longer than the SMSC's");
            assertTrue(b.enquireLinkInterval().compareTo(b.responseTimeout()) > 0);
            assertTrue(!b.host().equals("10.0.0." + unreachable.charAt(1)), b::toString);
        }
        assertEquals(l, l.stream().sorted(java.util.Comparator.comparing(BindConfig::host)).toList(), "in the order of the nodes' ids");
        assertEquals(List.of(), NodeBinds.links(ops.get(0), Map.of(without, List.of()), links, "s3cret-link"), "nobody holds any: no link");
    }
}
