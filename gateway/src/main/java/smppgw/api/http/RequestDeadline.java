package smppgw.api.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Time limits on one HTTP connection: a request must arrive whole within {@code http.request-timeout} of its first
 * byte (a client sending a header line every few seconds holds nothing for long: 408, closed), and a connection
 * with no request for {@code http.idle-timeout} is closed. {@link #start()} goes before the HTTP decoder, sees the
 * first bytes of a request; {@link #done()} after the aggregator, sees it complete.
 */
final class RequestDeadline {
    private final long timeoutMs;
    private final Runnable onTimeout;
    private ScheduledFuture<?> deadline;
    private boolean inRequest;

    RequestDeadline(long timeoutMs, Runnable onTimeout) {
        this.timeoutMs = timeoutMs;
        this.onTimeout = onTimeout;
    }

    ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!inRequest && msg instanceof ByteBuf b && b.isReadable()) {
                    inRequest = true;
                    deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMs, TimeUnit.MILLISECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof IdleStateEvent && !inRequest) {
                    ctx.close(); // nothing asked for this long
                    return;
                }
                super.userEventTriggered(ctx, evt);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                super.channelInactive(ctx);
            }
        };
    }

    ChannelInboundHandlerAdapter done() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    inRequest = false;
                    if (deadline != null) {
                        deadline.cancel(false);
                        deadline = null;
                    }
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void expire(ChannelHandlerContext ctx) {
        if (!inRequest || !ctx.channel().isActive()) {
            return;
        }
        onTimeout.run();
        byte[] body = ("{\"error\":\"request_timeout\",\"message\":\"the request did not arrive whole within " + timeoutMs
                + " ms (http.request-timeout)\"}").getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.copiedBuffer(("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE); // from before the HTTP encoder: raw bytes
    }

    /** A raw 503 for a connection over the caps (written before any HTTP handler). */
    static void tooManyConnections(ChannelHandlerContext ctx) {
        byte[] body = "{\"error\":\"too_many_connections\",\"message\":\"too many open connections (http.max-connections, max-connections-per-ip)\"}"
                .getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.copiedBuffer(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Retry-After: 5\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
}
