package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;

import smppgw.intake.InvalidRequestException;
import smppgw.store.StoreUnavailableException;

/**
 * One HTTP request and its answer: whoever handles it answers through here, an error included, always with a JSON
 * body; the answer may come later (once the store has the message), from any thread.
 */
final class Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    final ChannelHandlerContext ctx;
    final FullHttpRequest req;
    final QueryStringDecoder uri;
    final boolean keepAlive;
    final ApiHandler.Routes routes;
    /** The client the request is from once authenticated ({@code ""} when no clients are configured), else null. */
    String client;
    /** System.nanoTime() when the request was taken. */
    final long startedAt = System.nanoTime();
    /** Where the answer goes instead of the connection (a sharded front collecting it), or null. */
    private final java.util.function.Consumer<FullHttpResponse> sink;

    Exchange(ChannelHandlerContext ctx, FullHttpRequest req, ApiHandler.Routes routes, java.util.function.Consumer<FullHttpResponse> sink) {
        this.ctx = ctx;
        this.req = req;
        this.uri = new QueryStringDecoder(req.uri());
        this.keepAlive = HttpUtil.isKeepAlive(req);
        this.routes = routes;
        this.sink = sink;
    }

    String path() {
        return uri.path();
    }

    /** The client for counters and metrics: "-" for the unauthenticated API. */
    String clientLabel() {
        return client == null || client.isEmpty() ? "-" : client;
    }

    void send(HttpResponseStatus status, Object body) {
        write(response(status, body));
    }

    static FullHttpResponse response(HttpResponseStatus status, Object body) {
        byte[] b = Json.bytes(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        return r;
    }

    void write(FullHttpResponse r) {
        if (sink != null) {
            sink.accept(r);
        } else if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void methodNotAllowed(String allowed) {
        FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method_not_allowed", null,
                req.method() + " is not allowed on " + path() + "; use " + allowed));
        r.headers().set(HttpHeaderNames.ALLOW, allowed.startsWith("POST, or GET") ? "POST, GET" : allowed);
        write(r);
    }

    static ObjectNode error(InvalidRequestException e) {
        ObjectNode body = Json.error(e.code(), e.field(), e.getMessage());
        if (e.operator() != null) {
            body.put("operator", e.operator());
        }
        return body;
    }

    /** A refusal found while taking the request: its 4xx (or 503), counted. */
    void refuse(InvalidRequestException e) {
        (e.httpStatus() == 401 ? routes.counters().unauthorized : routes.counters().rejected).incrementAndGet();
        routes.metrics().intake.labelValues("http", clientLabel(), e.code()).inc();
        FullHttpResponse r = response(HttpResponseStatus.valueOf(e.httpStatus()), error(e));
        if (e.retryAfterSeconds() > 0) {
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
        }
        if (e.httpStatus() == 401) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        write(r);
    }

    /** Whatever went wrong, answered: a refusal found later, the store unavailable (503), or a 500 logged. */
    void fail(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof InvalidRequestException e) { // found after the request was taken (a report, a campaign setting)
            routes.counters().rejected.incrementAndGet();
            send(HttpResponseStatus.valueOf(e.httpStatus()), error(e));
        } else if (cause instanceof StoreUnavailableException su) {
            routes.counters().unavailable.incrementAndGet();
            routes.metrics().intake.labelValues("http", clientLabel(), su.code()).inc();
            FullHttpResponse r = response(HttpResponseStatus.SERVICE_UNAVAILABLE, Json.error(su.code(), null,
                    "nothing was stored: " + su.getMessage() + "; retry later"));
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, su instanceof smppgw.store.DiskFullException ? 30 : 5);
            write(r);
        } else {
            LOG.error("request failed", cause);
            send(HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal", null, "internal error: " + cause));
        }
    }

    /** Answers a future's outcome: its body with {@code status}, or its failure. */
    void answer(java.util.concurrent.CompletableFuture<?> f, HttpResponseStatus status) {
        f.whenComplete((body, err) -> {
            if (err != null) {
                fail(err);
            } else {
                send(status, body);
            }
        });
    }
}
