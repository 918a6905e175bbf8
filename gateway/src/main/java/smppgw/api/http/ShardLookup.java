package smppgw.api.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/messages?client_ref=} on a sharded group's front: the message may be in any shard (its recipient is not
 * in the request), so every shard is asked — each core here, and once each other node that runs shards (which asks its
 * own cores) — and the first that has it answers. Not found is said only when every shard was asked and none has it;
 * while a shard has no node, or a part gave another answer (a 401, a 503), that answer (or a 503) is given instead.
 */
final class ShardLookup {
    private final ShardFront front;
    private final ShardFront.Calls calls;
    private final FullHttpRequest req;
    private final boolean wasForwarded;
    private final ShardFront.Reply reply;
    private int waiting;
    private boolean someShardUnasked;
    private FullHttpResponse found;
    private FullHttpResponse notFound;
    private FullHttpResponse other;

    ShardLookup(ShardFront front, ShardFront.Calls calls, FullHttpRequest req, boolean wasForwarded, ShardFront.Reply reply) {
        this.front = front;
        this.calls = calls;
        this.req = req;
        this.wasForwarded = wasForwarded;
        this.reply = reply;
    }

    void run() {
        List<Integer> here = new ArrayList<>();
        Map<String, ShardFront.Owner> nodes = new LinkedHashMap<>();
        for (int k = 0; k < front.routing().shards(); k++) {
            if (front.runsHere(k)) {
                here.add(k);
                continue;
            }
            ShardFront.Owner o = wasForwarded ? null : front.ownerOf(k);
            if (o == null || o.nodeId().equals(front.nodeId())) {
                someShardUnasked |= !wasForwarded; // a forwarded lookup answers for this node's shards only: the asking node asks the rest
            } else {
                nodes.putIfAbsent(o.nodeId(), o);
            }
        }
        waiting = here.size() + nodes.size();
        if (waiting == 0) {
            reply.accept(ShardFront.unavailable("no_shard_owner", "no shard runs on node " + front.nodeId() + " or on a node it knows now: retry"));
            return;
        }
        waiting++; // held until every part is sent: an answer given at once does not finish early
        for (int k : here) {
            calls.call(k, req, wasForwarded, this::collect);
        }
        for (ShardFront.Owner o : nodes.values()) {
            calls.forward(o, req, req.content().retainedDuplicate(), this::collect);
        }
        collect(null);
    }

    private void collect(FullHttpResponse res) {
        FullHttpResponse spare = null;
        boolean done;
        synchronized (this) {
            if (res != null) {
                int code = res.status().code();
                if (code == 200 && found == null) {
                    found = res;
                } else if (code == 404 && notFound == null) {
                    notFound = res;
                } else if (code != 200 && code != 404 && other == null) {
                    other = res;
                } else {
                    spare = res;
                }
            }
            done = --waiting == 0;
        }
        if (spare != null) {
            spare.release();
        }
        if (done) {
            finish();
        }
    }

    private void finish() {
        FullHttpResponse answer = found != null ? found : other != null ? other : someShardUnasked ? null : notFound;
        for (FullHttpResponse r : new FullHttpResponse[]{found, notFound, other}) {
            if (r != null && r != answer) {
                r.release();
            }
        }
        reply.accept(answer != null ? answer : ShardFront.unavailable("no_shard_owner",
                "not every shard could be asked (a shard has no node now): the message may exist; retry"));
    }
}
