package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.metrics.Metrics;
import smppgw.store.MessageStore;

/**
 * The HTTP port of a node of a sharded group (docs/cluster.md, "Step 2 revisited", step 2): each request goes where
 * {@link ShardRouting} says — to the core of its shard when the shard runs here (in-process, no extra hop), else to
 * the node that runs it (forwarded once, its answer given back as it is). A batch is split by shard and its answers put
 * back in the request's order; {@code GET /v1/messages?client_ref=} and {@code GET /v1/optouts} ask every shard. A request another node forwarded
 * is never forwarded again: when its shard no longer runs here the answer is 503 {@code shard_moved}.
 *
 * <p>The admin API: status, reload and operator controls by {@link ShardAdmin}; lookups of a message or a number by their
 * shard's core, the opt-out list and a purge by every shard's. Links and promo codes by the shard that drew them; a
 * campaign's settings and controls by every shard, its recipients by their shards, its report and messages pages from every
 * shard's, merged ({@link ShardGather}).
 */
public final class ShardFront {
    private static final Logger LOG = LoggerFactory.getLogger(ShardFront.class);
    private static final long FORWARD_TIMEOUT_MS = 60_000;

    /** A node that runs a shard: its node id and the base URL it published. */
    public record Owner(String nodeId, String url) {
    }

    /** A shard's core as the front calls it: its routes, answered in-process. */
    public static final class Shard {
        final ApiHandler handler;
        final Intake intake;

        private Shard(ApiHandler handler, Intake intake) {
            this.handler = handler;
            this.intake = intake;
        }
    }

    /** Shard routes over one core's intake and store. */
    public Shard shard(Intake intake, MessageStore store, Clients clients, int maxBatch, Supplier<Health> health, Metrics metrics) {
        ApiHandler.Routes r = new ApiHandler.Routes(intake, store, clients, maxBatch, health, new ApiHandler.Counters(), metrics, null, null);
        return new Shard(new ApiHandler(new ApiHandler.Routes(intake, store, clients, maxBatch, health, r.counters(), metrics,
                admin.withStore(store, ApiHandler.optOutRoutes(r)), null)), intake); // the admin API's lookups of this shard's messages and numbers
    }

    private final String nodeId;
    private final ShardRouting routing;
    private final IntFunction<Owner> owners;
    private final int maxBatch;
    private final long idleMs;
    private final io.netty.handler.ssl.SslContext upstreamTls;
    private final MetricsAccess metricsAccess;
    private final Metrics metrics;
    private final Map<Integer, Shard> local = new ConcurrentHashMap<>();
    private final AtomicLong here = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile Consumer<ObjectNode> detail;
    /** {@code GET /admin/status} of this node (the group's nodes and shards, this node's cores), behind the admin key. */
    private final AdminRoutes admin;
    /** The SMPP server's submits, to their shards' cores here or where they run. */
    private final ShardSubmits submits;
    private final ShardRefs refs; // the cores' client_refs of other shards, held by those shards' cores

    /** The token to write to the data directory, or null when admin.api-key is configured. */
    public String adminToken() {
        return admin.generatedToken();
    }

    /**
     * @param owners the node that runs a shard now (null: none known)
     * @param metrics this node's registry, served on {@code /metrics}
     */
    public ShardFront(smppgw.config.GatewayConfig config, String nodeId, ShardRouting routing, IntFunction<Owner> owners, Metrics metrics, Admin admin) {
        this.admin = new AdminRoutes(admin, null, config.admin().apiKey(), null, config.admin().allowedHosts());
        this.nodeId = nodeId;
        this.routing = routing;
        this.owners = owners;
        this.maxBatch = config.http().maxBatch();
        this.idleMs = config.http().idleTimeout().toMillis() / 2;
        this.upstreamTls = config.http().tls() == null ? null : smppgw.tls.TlsContexts.trustingOwnChain(config.http().tls());
        this.metricsAccess = config.metrics().listen() == null ? MetricsAccess.apiPort(config.metrics()) : null;
        this.metrics = metrics;
        NodeCalls calls = new NodeCalls(upstreamTls, idleMs); // closed by refs.close()
        this.submits = new ShardSubmits(this, this.admin, calls, metrics);
        this.refs = new ShardRefs(this, this.admin, calls);
        metrics.counter("smppgw_shard_front_requests", "requests (and parts of batches) this node's HTTP port took, by where they were answered",
                "answered", List.of("here", "forwarded", "refused"), a -> a,
                a -> (a.equals("here") ? here : a.equals("forwarded") ? forwarded : refused).get());
    }

    /** Routes requests for {@code shard} to this node's core. */
    public void add(int shard, Shard s) {
        local.put(shard, s);
    }

    /** Stops routing requests for {@code shard} here (before its core closes). */
    public void remove(int shard) {
        local.remove(shard);
    }

    /** Adds to this node's {@code /health} answer (called on an event loop: no waiting). */
    public ShardFront health(Consumer<ObjectNode> detail) {
        this.detail = detail;
        return this;
    }

    /** A handler for one connection. */
    ChannelHandler handler() {
        return new Conn();
    }

    private final class Conn extends SimpleChannelInboundHandler<FullHttpRequest> implements ShardCalls {
        private final Map<String, List<Upstream>> upstreams = new HashMap<>();
        private volatile boolean busy;
        private ChannelHandlerContext ctx;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            this.ctx = ctx;
            if (busy) { // a pipelined request: answers would have to keep their order; one at a time is what is offered
                ctx.close();
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            if (path.equals("/health")) {
                answer(keepAlive, health());
                return;
            }
            if (path.equals("/metrics") && metricsAccess != null) {
                answer(keepAlive, metrics(req, ctx.channel().remoteAddress()));
                return;
            }
            busy = true;
            ctx.channel().config().setAutoRead(false); // one request at a time on this connection, until its answer is written
            java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
            Reply reply = r -> {
                if (answered.compareAndSet(false, true)) {
                    answer(keepAlive, r);
                } else {
                    r.release(); // a failure after the answer went (logged below): one answer per request
                }
            };
            try {
                route(req, uri, path, reply);
            } catch (RuntimeException e) {
                LOG.error("sharded front: {} {}", req.method(), req.uri(), e);
                reply.accept(Exchange.response(HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal", null, "internal error: " + e)));
            }
        }

        private void route(FullHttpRequest req, QueryStringDecoder uri, String path, Reply reply) {
            boolean wasForwarded = req.headers().contains(StandbyFront.FORWARDED_BY);
            boolean post = req.method().name().equals("POST");
            if (post && path.equals(ShardSubmits.PATH)) {
                submits.take(req, ctx.channel().remoteAddress(), reply);
                return;
            }
            if (post && path.equals(ShardRefs.PATH)) {
                refs.take(req, ctx.channel().remoteAddress(), reply);
                return;
            }
            if (path.equals("/admin/status") && req.method().name().equals("GET") || path.equals("/admin/reload") && post) {
                ShardAdmin.here(admin, req, path, this, reply);
                return;
            }
            if (path.startsWith("/admin/operators/") && post) {
                ShardAdmin.everyNode(ShardFront.this, admin, req, path, wasForwarded, this, reply);
                return;
            }
            List<String> refs = uri.parameters().get("client_ref");
            byte[] body = req.method().name().equals("POST") ? ByteBufUtil.getBytes(req.content()) : new byte[0];
            ShardRouting.Target t = routing.of(req.method().name(), path, refs == null || refs.isEmpty() ? null : refs.get(0), body);
            switch (t.kind()) {
                case SHARD -> call(t.shard(), req, wasForwarded, reply);
                case HERE -> here(req, wasForwarded, reply);
                case SPLIT -> {
                    if (path.endsWith("/recipients")) {
                        new ShardUpload(ShardFront.this, this, req, body, wasForwarded, reply).run();
                    } else {
                        new ShardBatch(ShardFront.this, this, req, body, wasForwarded, reply).run();
                    }
                }
                case EVERY_SHARD -> {
                    ShardGather.Mode mode = ShardGather.Mode.of(path, post);
                    if (mode != null) {
                        new ShardGather(mode, ShardFront.this, this, req, wasForwarded, reply).run();
                    } else {
                        reply.accept(ShardCalls.notYet(req.method() + " " + path + " (answered by every shard, merged)"));
                    }
                }
            }
        }

        /** A request any core answers the same (a preview, a 400 for what cannot be routed, a 404). */
        @Override
        public void here(FullHttpRequest req, boolean wasForwarded, Reply reply) {
            Map.Entry<Integer, Shard> any = local.entrySet().stream().findFirst().orElse(null);
            if (any != null) {
                call(any.getKey(), req, wasForwarded, reply);
                return;
            }
            Owner o = wasForwarded ? null : anyOwner();
            if (o == null) {
                refused.incrementAndGet();
                reply.accept(ShardCalls.unavailable("no_shard_here", "node " + nodeId + " runs no shard now and knows no node that does: nothing was stored; retry"));
            } else {
                forward(o, req, req.content().retainedDuplicate(), reply);
            }
        }

        /** Answers {@code req} with shard {@code shard}'s core, here or where it runs. */
        @Override
        public void call(int shard, FullHttpRequest req, boolean wasForwarded, Reply reply) {
            Shard s = local.get(shard);
            if (s != null) {
                here.incrementAndGet();
                s.handler.handle(ctx, req, reply);
                return;
            }
            Owner o = owners.apply(shard);
            if (wasForwarded || o == null || o.nodeId().equals(nodeId)) {
                refused.incrementAndGet();
                reply.accept(wasForwarded || o != null
                        ? ShardCalls.unavailable("shard_moved", "shard " + shard + " does not run on node " + nodeId + " now (it is moving): nothing was stored; retry")
                        : ShardCalls.unavailable("no_shard_owner", "no node runs shard " + shard + " now (a node may have just left): nothing was stored; retry"));
                return;
            }
            forward(o, req, req.content().retainedDuplicate(), reply);
        }

        /** Sends {@code req} with {@code content} as its body to {@code o}; its answer, or a 503, to {@code reply}. Call on the event loop. */
        @Override
        public void forward(Owner o, FullHttpRequest req, io.netty.buffer.ByteBuf content, Reply reply) {
            FullHttpRequest out = Upstream.outgoing(req, content, o.url(), nodeId);
            // one request at a time on a connection: a second part for the same node at once gets its own
            Upstream.idle(upstreams, o.url(), upstreamTls, FORWARD_TIMEOUT_MS, idleMs).send(ctx.channel().eventLoop(), o.url(), out, new Upstream.Outcome() {
                @Override
                public void answered(FullHttpResponse res) {
                    forwarded.incrementAndGet();
                    reply.accept(Upstream.incoming(res, o.nodeId()));
                }

                @Override
                public void failed(boolean sent, Throwable cause) {
                    refused.incrementAndGet();
                    LOG.warn("node {}: forwarding {} {} to node {} at {}: {}", nodeId, out.method(), out.uri(), o.nodeId(), o.url(), cause.toString());
                    reply.accept(ShardCalls.unavailable(sent ? "node_unreachable" : "no_shard_owner", sent
                            ? "node " + o.nodeId() + " did not answer the forwarded request: it may or may not have been taken; retry it with the same client_ref"
                            : "node " + o.nodeId() + " cannot be reached (it may have died; its shards move within the session timeout): nothing was stored; retry"));
                }
            });
        }

        @Override
        public ChannelHandlerContext ctx() {
            return ctx;
        }

        private void answer(boolean keepAlive, FullHttpResponse r) {
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            HttpUtil.setKeepAlive(r, keepAlive);
            busy = false;
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.channel().config().setAutoRead(true); // the next request on this connection
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstreams.values().forEach(l -> l.forEach(Upstream::close));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Where a shard's requests go: here (null owner) or the node that runs it; null when none is known. */
    Owner ownerOf(int shard) {
        return local.containsKey(shard) ? new Owner(nodeId, null) : owners.apply(shard);
    }

    /** Any node known to run a shard, other than this one. */
    Owner anyOwner() {
        for (int k = 0; k < routing.shards(); k++) {
            Owner o = owners.apply(k);
            if (o != null && !o.nodeId().equals(nodeId)) {
                return o;
            }
        }
        return null;
    }

    String nodeId() {
        return nodeId;
    }

    public ShardRefs refs() {
        return refs;
    }

    /** Where this node's SMPP server hands its submits. */
    public ShardSubmits submits() {
        return submits;
    }

    /** Shard {@code shard}'s intake if it runs here (a shard below 0: any core's), else null. */
    Intake intakeHere(int shard) {
        Shard s = shard >= 0 ? local.get(shard) : local.values().stream().findFirst().orElse(null);
        return s == null ? null : s.intake;
    }

    ShardRouting routing() {
        return routing;
    }

    int maxBatch() {
        return maxBatch;
    }

    boolean runsHere(int shard) {
        return local.containsKey(shard);
    }

    List<Integer> localShards() {
        return local.keySet().stream().sorted().toList();
    }

    private FullHttpResponse health() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        var missing = n.arrayNode();
        for (int k = 0; k < routing.shards(); k++) {
            if (!local.containsKey(k) && owners.apply(k) == null) {
                missing.add(k);
            }
        }
        n.put("status", missing.isEmpty() ? "ok" : "degraded").put("role", "sharded").put("node", nodeId).put("shards", routing.shards());
        var mine = n.putArray("shards_here");
        localShards().forEach(mine::add);
        n.set("shards_without_node", missing);
        Consumer<ObjectNode> d = detail;
        if (d != null) {
            d.accept(n);
        }
        return Exchange.response(missing.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, n);
    }

    private FullHttpResponse metrics(FullHttpRequest req, java.net.SocketAddress peer) {
        try {
            metricsAccess.check(req, peer);
        } catch (InvalidRequestException e) {
            return Exchange.response(HttpResponseStatus.valueOf(e.httpStatus()), Exchange.error(e));
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, io.netty.buffer.Unpooled.wrappedBuffer(metrics.scrape()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
        return r;
    }

}
