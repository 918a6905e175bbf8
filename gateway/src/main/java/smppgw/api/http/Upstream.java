package smppgw.api.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * One integrator connection's link to the active node, for a standby that forwards: a keep-alive HTTP/1.1 connection of
 * its own, opened on first use on the integrator connection's event loop (so nothing here is shared or locked), used for
 * one request at a time, reopened when the active node changes, closed with the integrator's connection.
 */
final class Upstream {
    /** What became of a forwarded request. */
    interface Outcome {
        /** The active node's answer (released by the caller). */
        void answered(FullHttpResponse response);

        /**
         * No answer.
         *
         * @param sent whether the request may have reached the active node (false: the connection could not be made)
         */
        void failed(boolean sent, Throwable cause);
    }

    private static final int MAX_RESPONSE_BYTES = 256 << 20; // a CSV export of a big campaign
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "content-length", "host", "expect", "proxy-authorization", "proxy-authenticate");

    /**
     * {@code req} as sent on to the node at {@code baseUrl}: its method, URI and end-to-end headers, {@code content} as its body,
     * marked as forwarded by {@code nodeId} (a node given it never forwards it again).
     */
    static FullHttpRequest outgoing(FullHttpRequest req, io.netty.buffer.ByteBuf content, String baseUrl, String nodeId) {
        FullHttpRequest out = new io.netty.handler.codec.http.DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                req.method(), req.uri(), content);
        for (var h : req.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                out.headers().add(h.getKey(), h.getValue());
            }
        }
        out.headers().set(io.netty.handler.codec.http.HttpHeaderNames.HOST, URI.create(baseUrl).getAuthority()).set(StandbyFront.FORWARDED_BY, nodeId)
                .setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return out;
    }

    /** An idle connection to {@code url} among {@code upstreams}, else a new one added to them (one request at a time on each). */
    static Upstream idle(java.util.Map<String, java.util.List<Upstream>> upstreams, String url, SslContext tls, long timeoutMs, long idleMs) {
        java.util.List<Upstream> toNode = upstreams.computeIfAbsent(url, u -> new java.util.ArrayList<>(1));
        Upstream up = toNode.stream().filter(u -> !u.busy()).findFirst().orElse(null);
        if (up == null) {
            up = new Upstream(tls, timeoutMs, idleMs);
            toNode.add(up);
        }
        return up;
    }

    /** A {@code POST} of JSON {@code body} to {@code path} of the node at {@code baseUrl}, with the group's admin key, from node {@code nodeId}. */
    static FullHttpRequest internal(String baseUrl, String path, byte[] body, String adminKey, String nodeId) {
        FullHttpRequest req = new io.netty.handler.codec.http.DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                io.netty.handler.codec.http.HttpMethod.POST, path, io.netty.buffer.Unpooled.wrappedBuffer(body));
        req.headers().set(io.netty.handler.codec.http.HttpHeaderNames.HOST, URI.create(baseUrl).getAuthority())
                .set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION, "Bearer " + adminKey).set(StandbyFront.FORWARDED_BY, nodeId)
                .setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, body.length);
        return req;
    }

    /** The answer {@code res} (its body taken over) as given back to the integrator, saying which node answered. */
    static FullHttpResponse incoming(FullHttpResponse res, String answeredBy) {
        FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                res.status(), res.content());
        for (var h : res.headers()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                r.headers().add(h.getKey(), h.getValue());
            }
        }
        r.headers().set(StandbyFront.ANSWERED_BY, answeredBy);
        return r;
    }

    private final SslContext ssl;
    private final long timeoutMs;
    private Channel ch;
    private String url;
    private Outcome pending;
    private ScheduledFuture<?> timer;

    private final long idleMs;

    /**
     * @param ssl    for {@code https} URLs (null: the active node's URL is plain {@code http})
     * @param idleMs an unused connection is closed after this long: before the active node closes it ({@code http.idle-timeout}),
     *               so a request is never written to a connection the other side is closing
     */
    Upstream(SslContext ssl, long timeoutMs, long idleMs) {
        this.ssl = ssl;
        this.timeoutMs = timeoutMs;
        this.idleMs = idleMs;
    }

    /** Sends {@code request} (released once written) to the node at {@code baseUrl}; call on {@code loop}, always the same, one at a time. */
    void send(io.netty.channel.EventLoop loop, String baseUrl, FullHttpRequest request, Outcome outcome) {
        pending = outcome;
        timer = loop.schedule(() -> {
            if (pending == outcome && ch != null) {
                ch.close(); // its channelInactive fails the request: sent, unanswered
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        if (ch != null && ch.isActive() && baseUrl.equals(url)) {
            write(request, outcome);
            return;
        }
        close();
        URI u = URI.create(baseUrl);
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        int port = u.getPort();
        url = baseUrl;
        Bootstrap b = new Bootstrap().group(loop).channel(smppgw.api.Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        if (ssl != null && u.getScheme().equals("https")) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc(), host, port));
                        }
                        c.pipeline().addLast(new io.netty.handler.timeout.IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS) {
                            @Override
                            protected void channelIdle(ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent e) {
                                if (c.pipeline().get(Answers.class).waiting == null) {
                                    ctx.close();
                                }
                            }
                        }, new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES), new Answers());
                    }
                });
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ch = f.channel();
                write(request, outcome);
            } else {
                request.release();
                url = null;
                done(outcome).failed(false, f.cause());
            }
        });
    }

    private void write(FullHttpRequest request, Outcome outcome) {
        Channel c = ch;
        c.pipeline().get(Answers.class).waiting = outcome;
        c.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                c.close(); // its channelInactive fails the request
            }
        });
    }

    /** The pending outcome, cleared (null when it was already told). */
    private Outcome done(Outcome outcome) {
        if (pending != outcome) {
            return null;
        }
        pending = null;
        if (timer != null) {
            timer.cancel(false);
        }
        return outcome;
    }

    /** Whether a request sent is still waiting for its answer. */
    boolean busy() {
        return pending != null;
    }

    /** Closes the connection to the active node; a request waiting on it fails (sent). */
    void close() {
        if (ch != null) {
            ch.close();
            ch = null;
        }
    }

    /** One connection's answers: to the request written on it last. */
    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        Outcome waiting;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Outcome o = waiting == null ? null : done(waiting);
            waiting = null;
            if (o != null) {
                o.answered(response.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == ch) {
                ch = null;
            }
            Outcome o = waiting == null ? null : done(waiting);
            waiting = null;
            if (o != null) {
                o.failed(true, new java.io.IOException("the connection to the active node closed before its answer"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a TLS failure, an answer too long: channelInactive fails the request
        }
    }
}
