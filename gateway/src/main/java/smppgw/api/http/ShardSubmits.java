package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.model.AcceptResult;
import smppgw.store.StoreUnavailableException;

/**
 * The SMPP server's submits on a node of a sharded group (docs/cluster.md, step 2): each goes to the core of its
 * recipient's shard — in-process when the shard runs here, else {@code POST}ed once to {@value #PATH} of the node that
 * runs it, with {@code admin.api-key} (the same on every node), over this node's connections to the others ({@link
 * NodeCalls}: at most {@value NodeCalls#MAX_PER_NODE} to a node, whatever the sessions' windows). The node that runs the shard
 * validates and stores it as its own intake would and answers with the result; a refusal comes back as the HTTP API's
 * error body, read back into the refusal the SMPP status follows from. The client's rate is taken where the ESME bound.
 */
public final class ShardSubmits {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSubmits.class);
    /** Where a node takes another node's SMPP submit for one of its shards (admin key). */
    static final String PATH = "/admin/shards/submit";

    private final ShardFront front;
    private final AdminRoutes admin;
    private final NodeCalls calls;
    private final AtomicLong here = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    ShardSubmits(ShardFront front, AdminRoutes admin, NodeCalls calls, smppgw.metrics.Metrics metrics) {
        this.front = front;
        this.admin = admin;
        this.calls = calls;
        metrics.counter("smppgw_shard_smpp_submits", "submit_sm this node's SMPP server took, by where they were stored: by a core here,"
                + " forwarded to the node running their shard, or refused because no node could be asked (ESME_RTHROTTLED or ESME_RSYSERR)",
                "answered", List.of("here", "forwarded", "refused"), a -> a,
                a -> (a.equals("here") ? here : a.equals("forwarded") ? forwarded : refused).get());
    }

    /** One submit the SMPP server read on {@code session}: stored by its shard's core, here or where it runs. */
    public CompletableFuture<AcceptResult> submit(Intake.Request request, Channel session, Runnable rate) {
        int shard = front.routing().shardOf(request.to());
        Intake intake = front.intakeHere(shard); // a number no shard is for: any core refuses it as it would
        if (intake != null) {
            here.incrementAndGet();
            return smppgw.intake.Submits.one(intake, request, rate);
        }
        ShardFront.Owner o = shard < 0 ? front.anyOwner() : front.ownerOf(shard);
        if (o == null || o.nodeId().equals(front.nodeId())) {
            refused.incrementAndGet();
            return CompletableFuture.failedFuture(new InvalidRequestException(503, "no_shard_owner", null, "no node runs shard " + shard
                    + " now (a node may have just left): nothing was stored; retry", null, 1));
        }
        try {
            rate.run(); // validated on the node that runs the shard: the client's rate is this node's, taken first
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<AcceptResult> result = new CompletableFuture<>();
        byte[] body = Json.bytes(toJson(request));
        forward(o, body, session, result);
        return result;
    }

    private void forward(ShardFront.Owner o, byte[] body, Channel session, CompletableFuture<AcceptResult> result) {
        if (!session.isActive()) { // its answer could not be given: not sent, so it is not stored behind the ESME's back
            refused.incrementAndGet();
            result.completeExceptionally(new IllegalStateException("the integrator's session closed"));
            return;
        }
        calls.send(o.url(), Upstream.internal(o.url(), PATH, body, admin.key(), front.nodeId()), new Upstream.Outcome() {
            @Override
            public void answered(FullHttpResponse res) {
                try {
                    forwarded.incrementAndGet();
                    result.complete(read(res, o));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    res.release();
                }
            }

            @Override
            public void failed(boolean sent, Throwable cause) {
                refused.incrementAndGet();
                LOG.warn("node {}: an SMPP submit for node {} at {}: {}", front.nodeId(), o.nodeId(), o.url(), cause.toString());
                result.completeExceptionally(sent
                        ? new IllegalStateException("node " + o.nodeId() + " did not answer: the submit may or may not have been stored")
                        : new InvalidRequestException(503, "no_shard_owner", null, "node " + o.nodeId() + " cannot be reached: nothing was stored",
                        null, 1));
            }
        });
    }

    /** The result of a forwarded submit, or the refusal it met (thrown). */
    private AcceptResult read(FullHttpResponse res, ShardFront.Owner o) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(ByteBufUtil.getBytes(res.content()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("node " + o.nodeId() + " answered " + res.status() + " without JSON");
        }
        int status = res.status().code();
        if (status == 200) {
            return new AcceptResult(n.path("id").asText(null), n.path("duplicate").asBoolean(), n.path("refusal").asText(null));
        }
        String code = n.path("error").asText("");
        if (n.path("not_stored").asBoolean()) {
            throw new Unavailable(code, n.path("message").asText());
        }
        if (status == 401 || status == 403 || status >= 500 && status != 503) {
            LOG.warn("node {}: node {} refused an SMPP submit with {} {} ({}): the nodes of a group need the same admin.api-key",
                    front.nodeId(), o.nodeId(), status, code, n.path("message").asText());
            throw new IllegalStateException("node " + o.nodeId() + " answered " + status + " " + code);
        }
        throw new InvalidRequestException(status, code, n.path("field").asText(null), n.path("message").asText(), n.path("operator").asText(null), 1);
    }

    /** {@value #PATH}: another node's SMPP submit for a shard of this node, stored by its core here; a refusal as the HTTP API's. */
    void take(FullHttpRequest req, SocketAddress peer, ShardCalls.Reply reply) {
        Intake.Request request;
        try {
            admin.check(req, peer);
            request = fromJson(Json.MAPPER.readTree(ByteBufUtil.getBytes(req.content())));
        } catch (InvalidRequestException e) {
            reply.accept(AdminRoutes.refusal(e));
            return;
        } catch (java.io.IOException | RuntimeException e) {
            reply.accept(Exchange.response(HttpResponseStatus.BAD_REQUEST, Json.error("invalid_json", null, "a submit as JSON: " + e.getMessage())));
            return;
        }
        int shard = front.routing().shardOf(request.to());
        Intake intake = front.intakeHere(shard);
        if (intake == null) { // moved since the other node asked: it answers the ESME ESME_RTHROTTLED, which sends again
            reply.accept(ShardCalls.unavailable("shard_moved", "shard " + shard + " does not run on node " + front.nodeId() + " now: nothing was stored"));
            return;
        }
        smppgw.intake.Submits.one(intake, request, () -> { }).whenComplete((r, err) -> {
            if (err == null) {
                ObjectNode n = Json.MAPPER.createObjectNode().put("id", r.id()).put("duplicate", r.duplicate());
                reply.accept(Exchange.response(HttpResponseStatus.OK, r.refusal() == null ? n : n.put("refusal", r.refusal())));
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            reply.accept(cause instanceof StoreUnavailableException su // its own mark: ESME_RSYSERR on the other side, as here
                    ? Exchange.response(HttpResponseStatus.SERVICE_UNAVAILABLE, Json.error(su.code(), null, su.getMessage()).put("not_stored", true))
                    : AdminRoutes.refusal(cause)); // a refusal as the admin API answers it; anything else a 500, logged
        });
    }

    static ObjectNode toJson(Intake.Request r) {
        ObjectNode n = Json.MAPPER.createObjectNode().put("client", r.client()).put("to", r.to()).put("from", r.from()).put("text", r.text())
                .put("client_ref", r.clientRef()).put("validity", r.validity()).put("receipt", r.receipt()).put("encoding", r.encoding())
                .put("class", r.messageClass()).put("campaign", r.campaign()).put("send_at", r.sendAt()).put("time_zone", r.timeZone());
        return r.trackLinks() == null ? n : n.put("track_links", r.trackLinks());
    }

    static Intake.Request fromJson(JsonNode n) {
        if (!n.path("client").isTextual()) {
            throw new IllegalArgumentException("no client");
        }
        return new Intake.Request(n.path("client").asText(), text(n, "to"), text(n, "from"), text(n, "text"), text(n, "client_ref"), text(n, "validity"),
                n.path("receipt").asInt(), text(n, "encoding"), text(n, "class"), n.path("track_links").isBoolean() ? n.path("track_links").asBoolean() : null,
                text(n, "campaign"), text(n, "send_at"), text(n, "time_zone"));
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    /** The store of the node that runs the shard could take no write: ESME_RSYSERR, as when it is this node's. */
    private static final class Unavailable extends StoreUnavailableException {
        private final String code;

        Unavailable(String code, String message) {
            super(message, null);
            this.code = code.isEmpty() ? "store_unavailable" : code;
        }

        @Override
        public String code() {
            return code;
        }
    }
}
