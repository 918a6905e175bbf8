package smppgw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code smppgw status | pause | resume | drain | reload | messages}: the running daemon, through its admin API. */
final class AdminCommands {
    private AdminCommands() {
    }

    /** Runs a call, prints what it returns; errors are one line on stderr and exit 1. */
    static int run(Callable<Void> call) {
        try {
            call.call();
            return 0;
        } catch (Exception e) {
            System.err.println("smppgw: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "status", description = "Binds, backlog and rates per operator of the running gateway.")
    static final class Status implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Override
        public Integer call() {
            return run(() -> {
                JsonNode h = client.health();
                boolean standby = h != null && h.path("role").asText().equals("standby");
                if (standby) { // its admin API is the active node's, forwarded
                    System.out.printf("node %s stands by in failover group %s; its ports forward to the active node: %s%n", h.path("node").asText(),
                            h.path("failover_group").asText(), h.path("active_node").asText("none known (a takeover may be under way)"));
                }
                JsonNode s;
                try {
                    s = client.call("GET", "/admin/status");
                } catch (IllegalStateException e) {
                    throw standby && e.getMessage().startsWith("401") ? new IllegalStateException(e.getMessage() + System.lineSeparator()
                            + "  (asked through this standby, the active node checks its own key: configure the same admin.api-key on every node,"
                            + " or run smppgw status on the active node)") : e;
                }
                if (s.path("role").asText().equals("sharded")) {
                    sharded(s);
                    return null;
                }
                System.out.printf("gateway %s, store %s, data in %s%n", s.path("status").asText(), s.path("store").asText(),
                        s.path("data_dir").asText());
                System.out.printf("%-16s %7s %10s %9s %9s %9s %7s %9s%n", "operator", "binds", "backlog", "in-flight", "eff-tps",
                        "ach-tps", "paused", "draining");
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("operators").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode o = e.getValue();
                    double eff = o.path("effective_tps").asDouble();
                    System.out.printf("%-16s %3d/%-3d %10d %9d %9s %9.0f %7s %9s%n", e.getKey(), o.path("binds_up").asInt(),
                            o.path("binds").asInt(), o.path("backlog").asLong(), o.path("in_flight").asLong(),
                            eff == 0 ? "unlimited" : String.format("%.0f", eff), o.path("achieved_tps").asDouble(),
                            o.path("paused").asBoolean() ? "yes" : "no", o.path("draining").asBoolean() ? "yes" : "no");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("operators").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode rc = e.getValue().path("receipts");
                    String learned = rc.path("learned").isTextual() ? "learned " + rc.path("learned").asText()
                            : "learning (votes: same " + rc.path("votes").path("same").asInt() + ", hex-to-dec "
                            + rc.path("votes").path("hex-to-dec").asInt() + ", dec-to-hex " + rc.path("votes").path("dec-to-hex").asInt() + ")";
                    System.out.printf("receipt ids of %s (account %s): %s%n", e.getKey(), rc.path("account").asText(),
                            rc.path("id_format").asText().equals("auto") ? "auto, " + learned : rc.path("id_format").asText());
                }
                JsonNode k = s.path("replication");
                if (k.isObject()) {
                    System.out.printf("replication %s: topic %s, node %s, epoch %d, acknowledged up to journal index %s, %d answers waiting%s%s%n",
                            k.path("state").asText(), k.path("topic").asText(), k.path("node_id").asText(), k.path("epoch").asLong(),
                            k.path("acknowledged_index").asText("none"), k.path("waiting_answers").asInt(),
                            k.path("waiting_answers").asInt() == 0 ? "" : " (oldest " + k.path("oldest_wait_ms").asLong() + " ms)",
                            k.path("reason").isTextual() ? ": " + k.path("reason").asText() : "");
                    JsonNode g = k.path("failover_group");
                    if (g.isObject()) {
                        java.util.List<String> nodes = new java.util.ArrayList<>();
                        g.path("nodes").forEach(n -> nodes.add(n.path("node_id").asText() + " " + n.path("role").asText()
                                + (n.path("url").isTextual() ? " (" + n.path("url").asText() + ")" : "")));
                        System.out.printf("failover group %s: %s%n", g.path("name").asText(),
                                g.path("error").isTextual() ? g.path("error").asText() : String.join(", ", nodes));
                    }
                }
                JsonNode r = s.path("retention");
                System.out.printf("retention %s; %s%n", r.path("period").asText(), r.has("last_pass_at")
                        ? String.format("last pass %s: %d messages and %d handset messages purged, %d files deleted", r.path("last_pass_at").asText(),
                        r.path("messages").asLong(), r.path("mo").asLong(), r.path("files").asLong())
                        : "no pass since the gateway started (the first is a minute after start, then every 10 minutes)");
                return null;
            });
        }
    }

    /** A node of a sharded group: the group's nodes and their shards, then each shard that runs on this node. */
    private static void sharded(JsonNode s) {
        JsonNode c = s.path("cluster");
        System.out.printf("node %s of sharded group %s (%d shards), %s, data in %s%n", s.path("node").asText(), c.path("group").asText(),
                c.path("shards").asInt(), s.path("status").asText(), s.path("data_dir").asText());
        for (JsonNode n : c.path("nodes")) {
            java.util.List<String> shards = new java.util.ArrayList<>();
            n.path("shards").forEach(k -> shards.add(k.asText()));
            System.out.printf("  node %s (%s): shards %s%n", n.path("node_id").asText(), n.path("url").asText("no address"),
                    shards.isEmpty() ? "none" : String.join(", ", shards));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("shards_here").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode k = e.getValue().path("replication");
            long backlog = 0;
            for (JsonNode o : e.getValue().path("operators")) {
                backlog += o.path("backlog").asLong();
            }
            System.out.printf("shard %s here: store %s, backlog %d, journal topic %s %s, acknowledged up to journal index %s%n", e.getKey(),
                    e.getValue().path("store").asText(), backlog, k.path("topic").asText(), k.path("state").asText(), k.path("acknowledged_index").asText("none"));
        }
    }

    /** pause / resume / drain OPERATOR. */
    abstract static class OperatorAction implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Parameters(paramLabel = "OPERATOR", description = "operator name")
        String operator;

        abstract String action();

        @Override
        public Integer call() {
            return run(() -> {
                JsonNode o = client.call("POST", "/admin/operators/" + operator + "/" + action());
                if (o.has("nodes")) { // a sharded group: every node's answer
                    for (var n : o.get("nodes").properties()) {
                        long backlog = 0;
                        for (JsonNode shard : n.getValue().path("shards_here")) {
                            backlog += shard.path("backlog").asLong();
                        }
                        System.out.printf("%s on node %s: %s backlog=%d%n", operator, n.getKey(), n.getValue().path("admin").asText(), backlog);
                    }
                    return null;
                }
                System.out.printf("%s: paused=%s draining=%s backlog=%d%n", operator, o.path("paused").asBoolean(),
                        o.path("draining").asBoolean(), o.path("backlog").asLong());
                return null;
            });
        }
    }

    @Command(name = "pause", description = "Stop sending to OPERATOR (in-flight submits finish; messages keep queueing).")
    static final class Pause extends OperatorAction {
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Send to OPERATOR again (and take new messages again after a drain).")
    static final class Resume extends OperatorAction {
        String action() {
            return "resume";
        }
    }

    @Command(name = "drain", description = "Refuse new messages for OPERATOR while its backlog goes out.")
    static final class Drain extends OperatorAction {
        String action() {
            return "drain";
        }
    }

    @Command(name = "purge", description = "Run retention now (it runs every 10 minutes): strip text and numbers from messages older"
            + " than store.retention, delete their handset messages and old journal and queue files.")
    static final class Purge implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Override
        public Integer call() {
            return run(() -> {
                JsonNode n = client.call("POST", "/admin/purge");
                System.out.printf("purged %d messages and %d handset messages; deleted %d files%n", n.path("messages").asLong(),
                        n.path("mo").asLong(), n.path("files").size());
                return null;
            });
        }
    }

    @Command(name = "reload", description = "Re-read the configuration file and apply it to the running gateway (as SIGHUP does):"
            + " throttles, routes, clients and bind counts change without dropping the binds that stay; an invalid file, or one"
            + " changing what only a restart can, is refused and the running configuration stays.")
    static final class Reload implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Override
        public Integer call() {
            return run(() -> {
                JsonNode n = client.call("POST", "/admin/reload");
                if (n.path("applied").isEmpty()) {
                    System.out.println("reloaded: no changes");
                }
                n.path("applied").forEach(a -> System.out.println("reloaded: " + a.asText()));
                return null;
            });
        }
    }

    @Command(name = "messages", description = "A message by id: state, operator, SMSC ids, every event.")
    static final class Messages implements Callable<Integer> {
        @Mixin
        AdminClient client;

        @Parameters(paramLabel = "ID", description = "gateway message id")
        String id;

        @Override
        public Integer call() {
            return run(() -> {
                System.out.println(AdminClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(client.call("GET", "/admin/messages/" + id)));
                return null;
            });
        }
    }
}
