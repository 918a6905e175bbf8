package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import smppgw.config.GatewayConfig;
import smppgw.intake.InvalidRequestException;

/**
 * The HTTP port of a standby node of a failover group: every request is forwarded to the group's active node and its
 * answer given back as it is, so integrators, reports and the admin API may use any node's address and meet the one
 * writer (opt-outs, caps and {@code client_ref} stay exact). Answered here: {@code /health} (200 while an active node is
 * known to forward to, with {@code role: standby}) and {@code /metrics} (this node's own few figures, never the active
 * node's, so scraping every node counts nothing twice). When no active node is known or it cannot be reached the answer
 * is 503 with {@code Retry-After}, saying whether the request may have been taken.
 */
public final class StandbyFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyFront.class);
    /** Set on a forwarded request: a standby given one does not forward it again (two standbys never loop). */
    static final String FORWARDED_BY = "X-Smppgw-Forwarded-By";
    /** Set on an answer that came from the active node: which node answered. */
    static final String ANSWERED_BY = "X-Smppgw-Answered-By";
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(60);

    /** The node to forward to: its node id, the base URL it published ({@code http://host:port}) and its SMPP server (host:port or null). */
    public record Active(String nodeId, String url, String smpp) {
    }

    private final GatewayConfig config;
    private final String nodeId;
    private final String group;
    private final Supplier<Active> active;
    private final java.util.function.Consumer<String> unreachable;
    /** For an active node on HTTPS: the JVM's CAs and this node's own certificate chain (null: plain HTTP). */
    private final io.netty.handler.ssl.SslContext upstreamTls;
    private final smppgw.metrics.Metrics metrics = new smppgw.metrics.Metrics();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong noActive = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;
    private Channel metricsChannel;
    private volatile java.util.function.Consumer<ObjectNode> detail;

    /**
     * @param active      the active node now, or null when none is known
     * @param unreachable told the node id of an active node whose port refused a forwarded request
     */
    public StandbyFront(GatewayConfig config, String nodeId, String group, Supplier<Active> active, java.util.function.Consumer<String> unreachable) {
        this.config = config;
        this.nodeId = nodeId;
        this.group = group;
        this.active = active;
        this.unreachable = unreachable;
        this.upstreamTls = config.http().tls() == null ? null : smppgw.tls.TlsContexts.trustingOwnChain(config.http().tls());
        metrics.gauge("smppgw_failover_active", "1 on the active node of the failover group, 0 on a standby (its HTTP port forwards)",
                "node", List.of(nodeId), n -> n, n -> 0);
        metrics.counter("smppgw_standby_forwarded_requests", "requests this standby forwarded to the active node, by outcome", "outcome",
                List.of("answered", "no_active_node", "active_node_unreachable"), o -> o,
                o -> (o.equals("answered") ? forwarded : o.equals("no_active_node") ? noActive : failed).get());
    }

    /** Adds to this standby's {@code /health} answer (called on an event loop: no waiting). */
    public StandbyFront health(java.util.function.Consumer<ObjectNode> detail) {
        this.detail = detail;
        return this;
    }

    /** Listens on {@code http.listen} (and {@code metrics.listen}). @throws IllegalStateException the port cannot be had */
    public StandbyFront start(smppgw.tls.TlsContexts.Endpoint tls) {
        GatewayConfig.HttpConfig http = config.http();
        smppgw.api.ConnectionGuard guard = new smppgw.api.ConnectionGuard("http", http.maxConnections(), http.maxConnectionsPerIp(),
                RequestDeadline::tooManyConnections);
        boss = smppgw.api.Transport.group(1, "smppgw-standby-boss");
        workers = smppgw.api.Transport.group(Math.min(2, http.ioThreads()), "smppgw-standby-io");
        MetricsAccess onApiPort = config.metrics().listen() == null ? MetricsAccess.apiPort(config.metrics()) : null;
        try {
            channel = bind(http.listen().host(), http.listen().port(), ch -> {
                ch.pipeline().addLast(guard, new io.netty.handler.timeout.IdleStateHandler(0, 0, http.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                        new HttpServerCodec(), new HttpObjectAggregator(http.maxBodyBytes()), new Forwarder(onApiPort));
                if (tls != null) {
                    tls.addServerHandlers(ch);
                }
            });
            if (config.metrics().listen() != null) {
                metricsChannel = bind(config.metrics().listen().host(), config.metrics().listen().port(), ch -> ch.pipeline().addLast(
                        new HttpServerCodec(), new HttpObjectAggregator(64 << 10), new MetricsHandler(metrics, MetricsAccess.ownListener(config.metrics()))));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("standing by: HTTP on {} forwards to the active node of failover group {}", channel.localAddress(), group);
        return this;
    }

    private Channel bind(String host, int port, java.util.function.Consumer<SocketChannel> init) {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(smppgw.api.Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                });
        try {
            return b.bind(host, port).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** This standby's own figures, served on {@code /metrics}. */
    public smppgw.metrics.Metrics metrics() {
        return metrics;
    }

    /** Stops listening (the port is free once this returns) and closes open connections. Idempotent. */
    @Override
    public void close() {
        smppgw.api.Transport.stop(metricsChannel, channel);
        smppgw.api.Transport.stop(boss, workers);
        metricsChannel = null;
        channel = null;
        boss = null;
    }

    private final class Forwarder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final MetricsAccess metricsAccess;
        private final Upstream upstream = new Upstream(upstreamTls, FORWARD_TIMEOUT.toMillis(), config.http().idleTimeout().toMillis() / 2);
        /** A request is being forwarded: the connection is not read until its answer is written. */
        private boolean busy;

        Forwarder(MetricsAccess metricsAccess) {
            this.metricsAccess = metricsAccess;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (busy) { // a pipelined request: answers would have to keep their order; one at a time is what is offered
                ctx.close();
                return;
            }
            String path = new QueryStringDecoder(req.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Active to = active.get();
            if (path.equals("/health")) {
                ObjectNode n = Json.MAPPER.createObjectNode().put("status", to != null ? "ok" : "unavailable").put("role", "standby")
                        .put("node", nodeId).put("failover_group", group).put("active_node", to == null ? null : to.nodeId());
                if (detail != null) {
                    detail.accept(n);
                }
                answer(ctx, keepAlive, Exchange.response(to != null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, n));
                return;
            }
            if (path.equals("/metrics") && metricsAccess != null) {
                answer(ctx, keepAlive, metrics(metricsAccess, req, ctx));
                return;
            }
            try {
                if (req.headers().contains(FORWARDED_BY)) {
                    throw noActive("node " + nodeId + " stands by and was given a request node " + req.headers().get(FORWARDED_BY)
                            + " forwarded (it took this node for the active one): nothing was stored; retry");
                }
                if (to == null) {
                    throw noActive("node " + nodeId + " of failover group " + group + " stands by and knows no active node to forward to"
                            + " (a takeover may be under way): nothing was stored; retry");
                }
                if (path.startsWith("/admin/") || path.equals("/admin")) {
                    admin(req, ctx);
                }
            } catch (InvalidRequestException e) {
                if (e.httpStatus() == 503) {
                    noActive.incrementAndGet();
                }
                FullHttpResponse r = Exchange.response(HttpResponseStatus.valueOf(e.httpStatus()), Exchange.error(e));
                if (e.retryAfterSeconds() > 0) {
                    r.headers().setInt(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
                }
                answer(ctx, keepAlive, r);
                return;
            }
            busy = true;
            forward(ctx, upstream, req, keepAlive, to, () -> busy = false);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upstream.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static InvalidRequestException noActive(String message) {
        return new InvalidRequestException(503, "no_active_node", null, message, null, 2);
    }

    /** What the active node's admin API would refuse for where the request comes from, refused here before forwarding. */
    private void admin(FullHttpRequest req, ChannelHandlerContext ctx) {
        AdminRoutes.checkSite(req, config.admin().allowedHosts());
        if (config.admin().apiKey() == null && !(ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress().isLoopbackAddress())) {
            throw new InvalidRequestException(403, "forbidden", null, "the admin API answers loopback peers only (set admin.api-key to open it)");
        }
    }

    private FullHttpResponse metrics(MetricsAccess metricsAccess, FullHttpRequest req, ChannelHandlerContext ctx) {
        try {
            metricsAccess.check(req, ctx.channel().remoteAddress());
        } catch (InvalidRequestException e) {
            return Exchange.response(HttpResponseStatus.valueOf(e.httpStatus()), Exchange.error(e));
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(metrics.scrape()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
        return r;
    }

    /** Forwards {@code req} to the active node over this connection's {@code upstream}; {@code done} runs before the answer is written. */
    private void forward(ChannelHandlerContext ctx, Upstream upstream, FullHttpRequest req, boolean keepAlive, Active to, Runnable done) {
        FullHttpRequest out = Upstream.outgoing(req, req.content().retainedDuplicate(), to.url(), nodeId);
        ctx.channel().config().setAutoRead(false); // one request at a time on this connection, until its answer is written
        upstream.send(ctx.channel().eventLoop(), to.url(), out, new Upstream.Outcome() {
            @Override
            public void answered(FullHttpResponse res) {
                forwarded.incrementAndGet();
                FullHttpResponse r = Upstream.incoming(res, to.nodeId());
                done.run();
                answer(ctx, keepAlive, r);
            }

            @Override
            public void failed(boolean sent, Throwable cause) {
                failed.incrementAndGet();
                if (!sent) {
                    unreachable.accept(to.nodeId());
                }
                LOG.warn("standby {}: forwarding {} {} to active node {} at {}: {}", nodeId, out.method(), out.uri(), to.nodeId(), to.url(),
                        cause.toString());
                ObjectNode body = Json.error(sent ? "active_node_unreachable" : "no_active_node", null, sent
                        ? "node " + nodeId + " stands by; the active node " + to.nodeId() + " did not answer the forwarded request: it may or may not"
                                + " have been taken; retry it with the same client_ref"
                        : "node " + nodeId + " stands by and cannot reach the active node " + to.nodeId() + " (a takeover may be under way): nothing"
                                + " was stored; retry");
                FullHttpResponse r = Exchange.response(HttpResponseStatus.SERVICE_UNAVAILABLE, body);
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, 2);
                done.run();
                answer(ctx, keepAlive, r);
            }
        });
    }

    private static void answer(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().config().setAutoRead(true); // the next request on this connection
        }
    }
}
