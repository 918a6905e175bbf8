package smppgw.daemon;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import smppgw.store.kafka.ActiveMember;

/**
 * The admin API of a node of a sharded group ({@code /admin} on its front): its status, its reload, and the operator
 * controls. Pause, resume and drain apply to every core the node runs and to those it runs later (the node remembers them
 * until it restarts, as a gateway does); the front asks every other node of the group to do the same, so that an operator
 * paused through any node is paused in every shard.
 */
final class ShardedNodeAdmin implements smppgw.api.http.Admin {
    private final ShardedNode node;
    /** The operators paused ({@code false}) or draining ({@code true}) on this node by the admin. */
    private final Map<String, Boolean> controlled = new ConcurrentHashMap<>();

    ShardedNodeAdmin(ShardedNode node) {
        this.node = node;
    }

    /**
     * {@code GET /admin/status} of a node of a sharded group: the group's nodes and the shards each runs (as the group
     * coordinator said last: every node tells the same), then each core of this node as a gateway's status tells it.
     */
    @Override
    public ObjectNode status() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("role", "sharded").put("node", node.nodeId).put("data_dir", node.dataDir);
        ObjectNode group = n.putObject("cluster").put("group", node.groupName).put("shards", node.shards);
        var nodes = group.putArray("nodes");
        for (ActiveMember.Member m : node.members) {
            ObjectNode member = nodes.addObject().put("node_id", m.nodeId()).put("url", m.url());
            m.shards().forEach(member.putArray("shards")::add);
            ObjectNode binds = member.putObject("binds");
            node.placement.placed().getOrDefault(m.nodeId(), List.of()).forEach(b -> binds.put(NodeBinds.operatorOf(b.account()),
                    binds.path(NodeBinds.operatorOf(b.account())).asInt() + 1));
        }
        var without = n.putArray("operators_without_bind"); // this node's cores cannot send these operators' messages
        var overLink = n.putArray("operators_over_link"); // nor over their own binds: over another node's
        node.placement.applied().forEach((name, op) -> {
            if (op.binds().isEmpty()) {
                without.add(name);
            } else if (NodePlacement.overLink(op)) {
                overLink.add(name);
            }
        });
        boolean ok = node.owners.size() == node.shards;
        ObjectNode here = n.putObject("shards_here");
        for (Map.Entry<Integer, Core> e : new java.util.TreeMap<>(node.cores).entrySet()) {
            Core core = e.getValue();
            ObjectNode s = here.putObject(String.valueOf(e.getKey()));
            String down = core.unavailable();
            ok &= down == null;
            s.put("store", down == null ? "ok" : "unavailable").put("store_reason", down);
            ObjectNode ops = s.putObject("operators");
            core.dispatchers().forEach((name, d) -> ops.putObject(name).put("binds_up", node.pool.binds(name).boundCount())
                    .put("binds", node.pool.binds(name).sessions().size()).put("backlog", d.backlog())
                    .put("in_flight", d.inFlight()).put("effective_tps", d.effectiveTps()).put("achieved_tps", d.achievedTps()));
            core.status(s);
        }
        smppgw.api.smpp.SmppServer smpp = node.smppServer;
        if (smpp != null) { // the integrators' sessions bound to this node (each gets the receipts of this node's shards)
            ObjectNode ints = n.putObject("integrators");
            node.clients.all().stream().filter(c -> c.systemId() != null).forEach(c -> ints.put(c.name(), smpp.boundCount(c.name())));
        }
        n.put("status", ok ? "ok" : "degraded");
        return n;
    }

    @Override
    public boolean pause(String operator) {
        return control(operator, false);
    }

    @Override
    public boolean drain(String operator) {
        return control(operator, true);
    }

    private boolean control(String operator, boolean draining) {
        if (node.pool.binds(operator) == null) {
            return false;
        }
        controlled.put(operator, draining); // first: a core starting meanwhile applies it, or is among those below
        node.cores.values().forEach(c -> apply(c, operator, draining));
        return true;
    }

    @Override
    public boolean resume(String operator) {
        if (node.pool.binds(operator) == null) {
            return false;
        }
        controlled.remove(operator);
        node.cores.values().forEach(c -> c.controls().resume(operator));
        return true;
    }

    /** The operator on this node: what the admin asked of it here, and each core's dispatcher of it. */
    @Override
    public ObjectNode operatorStatus(String operator) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("operator", operator).put("node", node.nodeId);
        Boolean draining = controlled.get(operator);
        n.put("admin", draining == null ? "sending" : draining ? "draining" : "paused");
        ObjectNode shards = n.putObject("shards_here");
        new java.util.TreeMap<>(node.cores).forEach((k, core) -> {
            smppgw.dispatch.Dispatcher d = core.dispatchers().get(operator);
            if (d != null) {
                shards.putObject(String.valueOf(k)).put("paused", d.paused()).put("backlog", d.backlog()).put("in_flight", d.inFlight());
            }
        });
        return n;
    }

    /** What the admin paused or drained on this node, applied to a core that starts here. */
    void apply(Core core) {
        controlled.forEach((operator, draining) -> apply(core, operator, draining));
    }

    private static void apply(Core core, String operator, boolean draining) {
        if (draining) {
            core.controls().drain(operator);
        } else {
            core.controls().pause(operator);
        }
    }

    @Override
    public List<String> reload() {
        return node.reload();
    }
}
