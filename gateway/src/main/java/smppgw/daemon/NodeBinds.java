package smppgw.daemon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import smppgw.config.BindConfig;
import smppgw.config.HostPort;
import smppgw.config.OperatorConfig;
import smppgw.route.BindPlacement;

/**
 * The binds a node of a sharded group holds (docs/cluster.md, step 3): each operator's configured binds placed on the live
 * nodes by {@link BindPlacement} — an entry of {@code operators[].binds} with {@code count: n} is an account of {@code n}
 * binds, never more in the whole group — each with its share of the operator's {@code tps}, so that the carrier never sees
 * more than the operator's limit from all nodes together.
 *
 * <p>Shares: the operator's binds in configuration order, {@code tps / binds} each and one more for the first
 * {@code tps % binds}; at least 1 (a {@code tps} below the number of binds lets the group send up to one per bind per
 * second); a bind's own {@code binds[].tps}, when set, bounds its share further. An operator without {@code tps} (0) leaves
 * each bind its own limit.
 */
final class NodeBinds {
    private NodeBinds() {
    }

    /** An account's name in the placement: the operator and the place of its entry in {@code binds}. */
    static String account(String operator, int entry) {
        return operator + "#" + entry;
    }

    /** The operator of an account named by {@link #account}. */
    static String operatorOf(String account) {
        return account.substring(0, account.lastIndexOf('#'));
    }

    /** The place in its operator's {@code binds} of an account named by {@link #account}. */
    static int entryOf(String account) {
        return Integer.parseInt(account.substring(account.lastIndexOf('#') + 1));
    }

    /** Every node's binds, by account. */
    static Map<String, List<BindPlacement.Bind>> place(List<OperatorConfig> operators, Collection<String> nodes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (OperatorConfig op : operators) {
            for (int j = 0; j < op.binds().size(); j++) {
                counts.put(account(op.name(), j), op.binds().get(j).count());
            }
        }
        return BindPlacement.place(counts, nodes);
    }

    /**
     * What {@code op} is on a node holding {@code mine}: the same operator with only those binds, one entry per bind
     * ({@code count: 1}) with its share of the rate.
     */
    static OperatorConfig onNode(OperatorConfig op, List<BindPlacement.Bind> mine) {
        int total = op.binds().stream().mapToInt(BindConfig::count).sum();
        List<BindConfig> out = new ArrayList<>();
        int ordinal = 0;
        for (int j = 0; j < op.binds().size(); j++) {
            BindConfig b = op.binds().get(j);
            for (int i = 0; i < b.count(); i++, ordinal++) {
                if (mine.contains(new BindPlacement.Bind(account(op.name(), j), i))) {
                    out.add(one(b, share(op.tps(), total, ordinal, b.tps())));
                }
            }
        }
        return with(op, out);
    }

    /** The rate of the operator's bind number {@code ordinal} of {@code total} (0: no limit). */
    static int share(int tps, int total, int ordinal, int own) {
        if (tps <= 0) {
            return own;
        }
        int s = Math.max(1, tps / total + (ordinal < tps % total ? 1 : 0));
        return own > 0 ? Math.min(own, s) : s;
    }

    /**
     * The binds of a node holding none of {@code op}'s own to the node link of each other node that holds some
     * ({@code holders}: node → its binds, for nodes with a link address in {@code links}), in the order of the nodes' ids: the
     * node's cores send the operator's messages over them (docs/cluster.md, step 3b). Each link bind's window is the sum of
     * that node's binds' windows for the operator; its wait for an answer the longest of the operator's binds' and
     * {@link smppgw.smpp.NodeLink#EXTRA_RESPONSE_TIMEOUT_MS} more; no rate of its own (the node holding the binds enforces it).
     */
    static List<BindConfig> links(OperatorConfig op, Map<String, List<BindPlacement.Bind>> holders, Map<String, HostPort> links, String password) {
        List<BindConfig> out = new ArrayList<>();
        java.time.Duration wait = op.binds().stream().map(BindConfig::responseTimeout).max(java.time.Duration::compareTo).orElse(java.time.Duration.ZERO)
                .plusMillis(smppgw.smpp.NodeLink.EXTRA_RESPONSE_TIMEOUT_MS);
        java.time.Duration enquire = op.binds().stream().map(BindConfig::enquireLinkInterval).max(java.time.Duration::compareTo).orElse(wait);
        for (String node : new java.util.TreeSet<>(holders.keySet())) {
            HostPort at = links.get(node);
            int window = 0;
            for (BindPlacement.Bind b : holders.get(node)) {
                if (operatorOf(b.account()).equals(op.name())) {
                    window += op.binds().get(entryOf(b.account())).window();
                }
            }
            if (at != null && window > 0) {
                out.add(new BindConfig(at.host(), at.port(), op.name(), password, smppgw.smpp.NodeLink.SYSTEM_TYPE, 1, window, 0,
                        BindConfig.BindType.TRANSCEIVER, enquire.compareTo(wait) > 0 ? enquire : wait.plusSeconds(1), wait,
                        java.time.Duration.ofSeconds(10), java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5), null));
            }
        }
        return out;
    }

    /** {@code op} on a node: the same operator with {@code binds}. */
    static OperatorConfig with(OperatorConfig op, List<BindConfig> binds) {
        return new OperatorConfig(op.name(), op.prefixes(), op.isDefault(), op.tps(), op.maxBacklog(), op.validity(), op.adaptive(),
                op.encoding(), op.retry(), binds, op.receipts(), op.maxBacklogTime());
    }

    private static BindConfig one(BindConfig b, int tps) {
        return new BindConfig(b.host(), b.port(), b.systemId(), b.password(), b.systemType(), 1, b.window(), tps, b.type(),
                b.enquireLinkInterval(), b.responseTimeout(), b.bindTimeout(), b.reconnectMin(), b.reconnectMax(), b.tls());
    }
}
