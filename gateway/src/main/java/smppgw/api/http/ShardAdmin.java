package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API on a sharded group's front. {@code GET /admin/status} and {@code POST /admin/reload} are this node's own
 * (the status tells the whole group's nodes and shards; each node reloads its own file). An operator control ({@code POST
 * /admin/operators/{name}/pause|resume|drain}) is applied here, then asked of every other node that runs shards, so that
 * the operator is paused, resumed or drained in every shard whichever node was asked: 200 with each node's answer when
 * every node applied it, 502 {@code not_applied_everywhere} with the same when one did not (it refused the key — the
 * nodes need the same {@code admin.api-key}, as a generated token is good on its own node only — or did not answer). A
 * forwarded control is applied on the node it reaches only.
 */
final class ShardAdmin {
    private ShardAdmin() {
    }

    /** Answers {@code req} with this node's admin routes. */
    static void here(AdminRoutes admin, FullHttpRequest req, String path, ShardCalls calls, ShardCalls.Reply reply) {
        CompletableFuture<AdminRoutes.Answer> a;
        try {
            a = admin.handleAsync(req, path, calls.ctx().channel().remoteAddress());
        } catch (RuntimeException e) { // the key, the peer, the Host refused
            a = CompletableFuture.failedFuture(e);
        }
        a.whenComplete((answer, err) -> reply.accept(err == null ? Exchange.response(answer.status(), answer.body()) : AdminRoutes.refusal(err)));
    }

    /** An operator control: here, then (unless forwarded) on every other node, the answers put together. */
    static void everyNode(ShardFront front, AdminRoutes admin, FullHttpRequest req, String path, boolean wasForwarded,
                          ShardCalls calls, ShardCalls.Reply reply) {
        if (wasForwarded) {
            here(admin, req, path, calls, reply);
            return;
        }
        Map<String, ShardFront.Owner> others = new TreeMap<>();
        for (int k = 0; k < front.routing().shards(); k++) {
            ShardFront.Owner o = front.ownerOf(k);
            if (o != null && !o.nodeId().equals(front.nodeId())) {
                others.putIfAbsent(o.nodeId(), o);
            }
        }
        List<ByteBuf> bodies = new ArrayList<>(); // the request's body outlives it: the other nodes are asked once it is answered here
        others.values().forEach(o -> bodies.add(req.content().retainedDuplicate()));
        here(admin, req, path, calls, local -> calls.ctx().executor().execute(() -> {
            if (local.status().code() != 200 || others.isEmpty()) {
                bodies.forEach(ByteBuf::release);
                reply.accept(local);
                return;
            }
            new Gather(front.nodeId(), local, others.size(), reply).start(others, bodies, req, calls);
        }));
    }

    /** The nodes' answers to one control. */
    private static final class Gather {
        private final ObjectNode nodes = Json.MAPPER.createObjectNode();
        private final List<String> failed = new ArrayList<>();
        private final ShardCalls.Reply reply;
        private int waiting;

        Gather(String self, FullHttpResponse local, int others, ShardCalls.Reply reply) {
            this.reply = reply;
            this.waiting = others;
            nodes.set(self, body(local));
        }

        void start(Map<String, ShardFront.Owner> others, List<ByteBuf> bodies, FullHttpRequest req, ShardCalls calls) {
            int i = 0;
            for (ShardFront.Owner o : others.values()) {
                calls.forward(o, req, bodies.get(i++), res -> collect(o.nodeId(), res));
            }
        }

        private synchronized void collect(String node, FullHttpResponse res) {
            if (res.status().code() != 200) {
                failed.add(node + " (" + res.status().code() + ")");
            }
            nodes.set(node, body(res));
            if (--waiting > 0) {
                return;
            }
            ObjectNode out = failed.isEmpty() ? Json.MAPPER.createObjectNode()
                    : Json.error("not_applied_everywhere", null, "applied on some nodes of the group, not on " + String.join(", ", failed)
                    + ": send it again (the nodes need the same admin.api-key)");
            out.set("nodes", nodes);
            reply.accept(Exchange.response(failed.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.BAD_GATEWAY, out));
        }

        private static JsonNode body(FullHttpResponse res) {
            try {
                return Json.MAPPER.readTree(ByteBufUtil.getBytes(res.content()));
            } catch (java.io.IOException e) {
                return Json.MAPPER.createObjectNode().put("status", res.status().code());
            } finally {
                res.release();
            }
        }
    }
}
