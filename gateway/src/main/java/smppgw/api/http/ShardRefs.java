package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import smppgw.intake.ClientRefs;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.model.RefReservation;
import smppgw.store.StoreUnavailableException;

/**
 * How the cores of a sharded node hold {@code client_ref}s of other shards ({@link ClientRefs}): in-process when the
 * reference's shard runs here, else {@code POST}ed to {@value #PATH} of the node that runs it with the group's
 * {@code admin.api-key}, over this node's connections to the others ({@link NodeCalls}, which this closes). And that path:
 * another node's reservations for a shard of this node, kept by its core here.
 */
public final class ShardRefs implements ClientRefs.Keeper, AutoCloseable {
    /** Where a node takes another node's reservations for one of its shards (admin key). */
    static final String PATH = "/admin/shards/refs";

    private final ShardFront front;
    private final AdminRoutes admin;
    private final NodeCalls calls;

    ShardRefs(ShardFront front, AdminRoutes admin, NodeCalls calls) {
        this.front = front;
        this.admin = admin;
        this.calls = calls;
    }

    @Override
    public CompletableFuture<List<String>> reserve(int shard, List<RefReservation> reservations) {
        Intake intake = front.intakeHere(shard);
        if (intake != null) {
            return intake.reserve(reservations);
        }
        ShardFront.Owner o = front.ownerOf(shard);
        if (o == null || o.nodeId().equals(front.nodeId())) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("no node runs shard " + shard + " now", null));
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("shard", shard);
        ArrayNode list = body.putArray("reservations");
        for (RefReservation r : reservations) {
            list.addObject().put("client", r.client()).put("client_ref", r.clientRef()).put("to", r.to()).put("fingerprint", r.fingerprint())
                    .put("released", r.released());
        }
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        int count = reservations.size();
        calls.send(o.url(), Upstream.internal(o.url(), PATH, Json.bytes(body), admin.key(), front.nodeId()), new Upstream.Outcome() {
            @Override
            public void answered(FullHttpResponse res) {
                try {
                    JsonNode n = Json.MAPPER.readTree(ByteBufUtil.getBytes(res.content()));
                    if (res.status().code() != 200 || n.path("answers").size() != count) {
                        throw new IllegalStateException("node " + o.nodeId() + " answered " + res.status() + " " + n.path("error").asText(""));
                    }
                    List<String> answers = new ArrayList<>(count);
                    n.path("answers").forEach(a -> answers.add(a.isNull() ? null : a.asText()));
                    result.complete(answers);
                } catch (java.io.IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    res.release();
                }
            }

            @Override
            public void failed(boolean sent, Throwable cause) {
                result.completeExceptionally(new StoreUnavailableException("node " + o.nodeId() + (sent ? " did not answer" : " cannot be reached"), cause));
            }
        });
        return result;
    }

    /** {@value #PATH}: another node's reservations for a shard of this node, answered once its core journaled them. */
    void take(FullHttpRequest req, SocketAddress peer, ShardCalls.Reply reply) {
        int shard;
        List<RefReservation> rs = new ArrayList<>();
        try {
            admin.check(req, peer);
            JsonNode n = Json.MAPPER.readTree(ByteBufUtil.getBytes(req.content()));
            shard = n.path("shard").asInt(-1);
            for (JsonNode r : n.path("reservations")) {
                rs.add(new RefReservation(r.path("client").isTextual() ? r.path("client").asText() : null, r.path("client_ref").asText(),
                        r.path("to").asText(), r.path("fingerprint").asText(), r.path("released").asBoolean()));
            }
        } catch (InvalidRequestException e) {
            reply.accept(AdminRoutes.refusal(e));
            return;
        } catch (java.io.IOException | RuntimeException e) {
            reply.accept(Exchange.response(HttpResponseStatus.BAD_REQUEST, Json.error("invalid_json", null, "reservations as JSON: " + e.getMessage())));
            return;
        }
        Intake intake = front.intakeHere(shard);
        if (intake == null || rs.isEmpty()) {
            reply.accept(intake == null ? ShardCalls.unavailable("shard_moved", "shard " + shard + " does not run on node " + front.nodeId() + " now")
                    : Exchange.response(HttpResponseStatus.BAD_REQUEST, Json.error("invalid", "reservations", "no reservations")));
            return;
        }
        intake.reserve(rs).whenComplete((answers, err) -> {
            if (err != null) {
                reply.accept(ShardCalls.unavailable("store_unavailable", "shard " + shard + "'s store took no write: " + err.getMessage()));
                return;
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode a = out.putArray("answers");
            answers.forEach(a::add);
            reply.accept(Exchange.response(HttpResponseStatus.OK, out));
        });
    }

    @Override
    public void close() {
        calls.close();
    }
}
