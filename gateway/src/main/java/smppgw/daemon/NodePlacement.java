package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import smppgw.config.KafkaStoreConfig;
import smppgw.config.OperatorConfig;
import smppgw.smpp.SmppClientPool;
import smppgw.store.kafka.ActiveMember;

/**
 * The binds a node of a sharded group holds, placed again each time the group's membership is read (docs/cluster.md, steps 3a
 * and 3b): its part of each operator's binds ({@link NodeBinds}), or, for an operator it holds none of, binds to the node link
 * of each node that holds some (with {@code cluster.link}), applied to the node's pool the way a reload is.
 */
final class NodePlacement {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedNode.class);

    private final String nodeId;
    /** The operators as configured (all their binds); replaced by a reload. */
    private volatile List<OperatorConfig> operators;
    private final SmppClientPool pool;
    /** This node's link settings (its password is the group's), or null: no link, to or from it. */
    private final KafkaStoreConfig.Link linkConfig;
    /** Every node's binds, as this node placed them last. */
    private volatile Map<String, List<smppgw.route.BindPlacement.Bind>> placed = Map.of();
    /** Each operator as this node's binds make it, as applied to the pool. */
    private final Map<String, OperatorConfig> applied = new ConcurrentHashMap<>();

    NodePlacement(String nodeId, List<OperatorConfig> operators, SmppClientPool pool, KafkaStoreConfig.Link linkConfig) {
        this.nodeId = nodeId;
        this.operators = operators;
        this.pool = pool;
        this.linkConfig = linkConfig;
    }

    /** Every node's binds, as placed last. */
    Map<String, List<smppgw.route.BindPlacement.Bind>> placed() {
        return placed;
    }

    /** Each operator as this node holds it now. */
    Map<String, OperatorConfig> applied() {
        return applied;
    }

    /**
     * Holds this node's part of each operator's binds among {@code m}: binds placed elsewhere now unbind once their window
     * is empty, binds placed here now bind (a bind that moves may be held by both nodes for a moment).
     */
    synchronized void place(List<ActiveMember.Member> m) {
        List<String> nodes = m.stream().map(ActiveMember.Member::nodeId).distinct().toList();
        if (!nodes.contains(nodeId)) {
            return; // not in the group yet (or no more): the binds stay as they are until it is
        }
        Map<String, List<smppgw.route.BindPlacement.Bind>> next = NodeBinds.place(operators, nodes);
        placed = Map.copyOf(next);
        Map<String, smppgw.config.HostPort> links = new java.util.HashMap<>();
        m.stream().filter(x -> x.link() != null && !x.nodeId().equals(nodeId) && smppgw.config.HostPort.parse(x.link()) != null)
                .forEach(x -> links.put(x.nodeId(), smppgw.config.HostPort.parse(x.link())));
        Map<String, List<smppgw.route.BindPlacement.Bind>> others = new java.util.HashMap<>(next);
        others.remove(nodeId);
        for (OperatorConfig op : operators) {
            OperatorConfig here = NodeBinds.onNode(op, next.get(nodeId));
            if (here.binds().isEmpty() && linkConfig != null) { // over the node link to those that hold them
                here = NodeBinds.with(op, NodeBinds.links(op, others, links, linkConfig.password()));
            }
            if (!here.equals(applied.get(op.name()))) {
                String what = pool.reconfigure(here);
                applied.put(op.name(), here);
                int all = op.binds().stream().mapToInt(smppgw.config.BindConfig::count).sum();
                LOG.info("node {}: binds of {}: {} ({} of the group's {}, by {})", nodeId, op.name(), what, here.binds().size(), all, nodes);
                if (here.binds().isEmpty() && all > 0) {
                    LOG.warn("node {} holds none of operator {}'s {} bind(s) among {} nodes{}: the messages of its shards for {} wait until one"
                            + " is placed here or reached (give the operator at least as many binds as the group has nodes, or every node a"
                            + " cluster.link)", nodeId, op.name(), all, nodes.size(), linkConfig == null ? " and has no node link" : ", nor a link to a"
                            + " node that does", op.name());
                } else if (overLink(here)) {
                    LOG.info("node {} holds none of operator {}'s binds: its shards send over the node link to {}", nodeId, op.name(),
                            here.binds().stream().map(b -> b.host() + ":" + b.port()).toList());
                }
            }
        }
    }

    /** A reload: the operators with their new binds, counts and rates, placed again at once among {@code m}. */
    synchronized void reconfigure(List<OperatorConfig> next, List<ActiveMember.Member> m) {
        operators = List.copyOf(next);
        place(m);
    }

    /** Whether {@code op}'s binds on this node are all to other nodes' links. */
    static boolean overLink(OperatorConfig op) {
        return !op.binds().isEmpty() && op.binds().stream().allMatch(b -> smppgw.smpp.NodeLink.SYSTEM_TYPE.equals(b.systemType()));
    }
}
