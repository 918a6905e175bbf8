package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/messages/batch} on a sharded group's front: the batch split into one batch per place its messages go
 * (each local shard's core; each other node that runs some of their shards, which splits its part again for its own
 * cores), sent at once, the answers put back in the request's order as one answer ({@code results}, {@code accepted},
 * {@code rejected}), as a gateway that is not sharded gives it. An item whose shard has no node now gets its own 503
 * error in {@code results}; a part whose answer is not a batch answer (a 503 from a core whose store cannot take
 * writes) gives its error to each of its items; when every part gives the same such answer (a 401), that is the answer.
 * A batch that cannot be read is answered by any core, with the usual 400.
 */
final class ShardBatch {
    private final ShardFront front;
    private final ShardCalls calls;
    private final FullHttpRequest req;
    private final byte[] body;
    private final boolean wasForwarded;
    private final ShardCalls.Reply reply;
    private ObjectNode[] out;
    private int waiting;
    private final List<Part> parts = new ArrayList<>();

    /** The items going to one place, by their positions in the request. */
    private static final class Part {
        final int shard; // >= 0: a local core; -1: another node (owner); -2: any core here
        final ShardFront.Owner owner;
        final List<Integer> positions = new ArrayList<>();
        FullHttpResponse whole;

        Part(int shard, ShardFront.Owner owner) {
            this.shard = shard;
            this.owner = owner;
        }
    }

    ShardBatch(ShardFront front, ShardCalls calls, FullHttpRequest req, byte[] body, boolean wasForwarded, ShardCalls.Reply reply) {
        this.front = front;
        this.calls = calls;
        this.req = req;
        this.body = body;
        this.wasForwarded = wasForwarded;
        this.reply = reply;
    }

    void run() {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            root = null;
        }
        JsonNode items = root == null || !root.isObject() ? null : root.get("messages");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > front.maxBatch()) {
            calls.here(req, wasForwarded, reply); // the usual 400, from any core
            return;
        }
        out = new ObjectNode[items.size()];
        Map<String, Part> byPlace = new LinkedHashMap<>();
        List<Integer> unroutable = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode to = items.get(i).path("to");
            int k = front.routing().shardOf(to.isTextual() ? to.asText() : null);
            if (k < 0) {
                unroutable.add(i);
            } else if (front.runsHere(k)) {
                byPlace.computeIfAbsent("shard " + k, p -> new Part(k, null)).positions.add(i);
            } else {
                ShardFront.Owner o = wasForwarded ? null : front.ownerOf(k);
                if (o == null || o.nodeId().equals(front.nodeId())) {
                    out[i] = error(wasForwarded || o != null ? "shard_moved" : "no_shard_owner", "shard " + k + " of this message does not run on node "
                            + front.nodeId() + " and no other node is known to run it now: nothing was stored; retry");
                } else {
                    byPlace.computeIfAbsent("node " + o.nodeId(), p -> new Part(-1, o)).positions.add(i);
                }
            }
        }
        if (!unroutable.isEmpty()) { // each gets the core's 400 for its item, wherever it is read: with the first part, or alone
            Part p = byPlace.isEmpty() ? byPlace.computeIfAbsent("here", x -> new Part(-2, null)) : byPlace.values().iterator().next();
            p.positions.addAll(unroutable);
            p.positions.sort(null);
        }
        parts.addAll(byPlace.values());
        if (parts.isEmpty()) {
            reply.accept(Exchange.response(HttpResponseStatus.OK, MessageRoutes.batchBody(out)));
            return;
        }
        waiting = parts.size();
        for (Part p : parts) {
            ObjectNode sub = ((ObjectNode) root).deepCopy();
            ArrayNode list = sub.putArray("messages");
            p.positions.forEach(i -> list.add(items.get(i)));
            calls.part(p.shard, p.owner, req, Json.bytes(sub), null, wasForwarded, res -> collect(p, res));
        }
    }

    private void collect(Part p, FullHttpResponse res) {
        JsonNode answer = null;
        try {
            answer = Json.MAPPER.readTree(io.netty.buffer.ByteBufUtil.getBytes(res.content()));
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the part's items get a generic error below
        }
        boolean done;
        synchronized (this) {
            JsonNode results = answer == null ? null : answer.get("results");
            if (res.status().code() == 200 && results != null && results.isArray() && results.size() == p.positions.size()) {
                for (int j = 0; j < results.size(); j++) {
                    int i = p.positions.get(j);
                    ObjectNode item = (ObjectNode) results.get(j);
                    JsonNode field = item.get("field");
                    String mine = "messages[" + j + "].";
                    if (field != null && field.isTextual() && field.asText().startsWith(mine)) {
                        item.put("field", "messages[" + i + "]." + field.asText().substring(mine.length()));
                    }
                    out[i] = item;
                }
                res.release();
            } else {
                ObjectNode err = answer instanceof ObjectNode o && o.has("error") ? o
                        : error("internal", "answer " + res.status() + " from " + (p.owner == null ? "this node" : "node " + p.owner.nodeId()));
                p.positions.forEach(i -> out[i] = err.deepCopy());
                p.whole = res;
            }
            done = --waiting == 0;
        }
        if (done) {
            finish();
        }
    }

    private void finish() {
        FullHttpResponse whole = parts.get(0).whole;
        boolean same = whole != null;
        for (Part p : parts) {
            same &= p.whole != null && p.whole.status().equals(whole.status());
        }
        if (same && countRouted() == out.length) {
            parts.stream().skip(1).forEach(p -> p.whole.release());
            reply.accept(whole); // every part refused the same way (a 401): that is the answer
            return;
        }
        parts.forEach(p -> {
            if (p.whole != null) {
                p.whole.release();
            }
        });
        reply.accept(Exchange.response(HttpResponseStatus.OK, MessageRoutes.batchBody(out)));
    }

    private int countRouted() {
        return parts.stream().mapToInt(p -> p.positions.size()).sum();
    }

    private static ObjectNode error(String code, String message) {
        return Json.error(code, null, message);
    }
}
