package smppgw.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks across a configuration's sections (each section checks its own keys as it is read). */
final class ConfigChecks {
    private ConfigChecks() {
    }

    /**
     * An SMPP server needs clients to bind. A node of a sharded group needs {@code admin.api-key}, the same on every node:
     * the nodes call each other with it (an SMPP submit for a shard another node runs, a {@code client_ref} held by another
     * shard's core, the admin API's requests; docs/cluster.md, step 2), and a generated token is good on its own node only.
     */
    static void smppServer(Node root, GatewayConfig.SmppServerConfig smppServer, List<ClientConfig> clients, GatewayConfig.StoreConfig store,
                           GatewayConfig.AdminConfig admin) {
        if (store.kafka() != null && store.kafka().shards() > 1 && admin.apiKey() == null) {
            root.problem("admin.api-key", "unset", "set, the same on every node of the group: the nodes of a sharded group call each other with it"
                    + " (SMPP submits and client_refs for other nodes' shards, admin requests)");
        }
        if (!smppServer.enabled()) {
            return;
        }
        if (clients.stream().noneMatch(c -> c.systemId() != null)) {
            root.problem("smpp-server.listen", smppServer.listen(), "clients with a system-id to bind (none is configured)");
        }
    }

    static void operators(Node root, List<OperatorConfig> operators) {
        if (operators.isEmpty()) {
            root.problem("operators: at least one operator is required");
        }
        Set<String> names = new HashSet<>();
        Map<String, String> prefixOwner = new HashMap<>();
        String dflt = null;
        for (int i = 0; i < operators.size(); i++) {
            OperatorConfig op = operators.get(i);
            if (!names.add(op.name())) {
                root.problem("operators[" + i + "].name", op.name(), "a name no other operator uses");
            }
            if (op.isDefault()) {
                if (dflt != null) {
                    root.problem("operators[" + i + "].default", true,
                            "at most one default operator ('" + dflt + "' is already the default)");
                }
                dflt = op.name();
            }
            for (String p : op.prefixes()) {
                String owner = prefixOwner.putIfAbsent(p, op.name());
                if (owner != null && !owner.equals(op.name())) {
                    root.problem("operators[" + i + "].prefixes", p, "a prefix no other operator has (also on '" + owner + "')");
                }
            }
        }
        Map<String, OperatorConfig> accountFormat = new HashMap<>(); // operators on one SMSC account read its receipts one way
        for (int i = 0; i < operators.size(); i++) {
            OperatorConfig op = operators.get(i);
            for (BindConfig b : op.binds()) {
                OperatorConfig first = accountFormat.putIfAbsent(b.host() + ':' + b.port() + ':' + b.systemId(), op);
                if (first != null && first != op && !java.util.Objects.equals(first.receipts().idFormat(), op.receipts().idFormat())) {
                    root.problem("operators[" + i + "].receipts.id-format", op.receipts().idFormatLabel(), "'"
                            + first.receipts().idFormatLabel() + "' as on '" + first.name() + "', which binds to the same SMSC account");
                }
            }
        }
    }

    static void clients(Node root, List<ClientConfig> clients) {
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        Set<String> systemIds = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            ClientConfig c = clients.get(i);
            if (!names.add(c.name())) {
                root.problem("clients[" + i + "].name", c.name(), "a name no other client uses");
            }
            if (c.apiKey() != null && !keys.add(c.apiKey())) {
                root.problem("clients[" + i + "].api-key", "****", "a key no other client uses");
            }
            if (c.systemId() != null && !systemIds.add(c.systemId())) {
                root.problem("clients[" + i + "].system-id", c.systemId(), "a system-id no other client uses");
            }
        }
    }
}
