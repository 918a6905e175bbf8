package smppgw.api.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;

import smppgw.intake.InvalidRequestException;

/** {@code metrics.listen}: {@code GET /metrics} and nothing else (404), behind {@link MetricsAccess}. */
final class MetricsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final smppgw.metrics.Metrics metrics;
    private final MetricsAccess access;

    MetricsHandler(smppgw.metrics.Metrics metrics, MetricsAccess access) {
        this.metrics = metrics;
        this.access = access;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        FullHttpResponse r;
        if (!new QueryStringDecoder(req.uri()).path().equals("/metrics")) {
            r = json(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "only /metrics is served here").toString());
        } else if (!req.method().equals(HttpMethod.GET)) {
            r = json(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method_not_allowed", null, "GET only").toString());
            r.headers().set(HttpHeaderNames.ALLOW, "GET");
        } else {
            try {
                access.check(req, ctx.channel().remoteAddress());
                byte[] b = metrics.scrape();
                r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(b));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
            } catch (InvalidRequestException e) {
                r = json(HttpResponseStatus.valueOf(e.httpStatus()), Json.error(e.code(), null, e.getMessage()).toString());
            }
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static FullHttpResponse json(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }
}
