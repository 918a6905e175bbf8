package smppgw.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.store.AcceptResult;
import smppgw.store.MessageStore;
import smppgw.store.NewMessage;
import smppgw.store.StoreUnavailableException;

/** Routes HTTP requests; answers every one, errors included, with a JSON body. */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> MESSAGE_FIELDS = Set.of("to", "from", "text", "client_ref", "validity");

    /** What the handler serves. {@code health} reports the store and binds. */
    record Routes(Intake intake, MessageStore store, Supplier<Health> health, Counters counters) {
    }

    /** Request outcomes. */
    static final class Counters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
    }

    private final Routes routes;

    ApiHandler(Routes routes) {
        super(true);
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            send(ctx, false, HttpResponseStatus.BAD_REQUEST, Json.error("bad_request", null, "malformed HTTP request"));
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        HttpMethod m = req.method();
        try {
            if (path.equals("/v1/messages")) {
                if (m.equals(HttpMethod.POST)) {
                    postMessage(ctx, keepAlive, req);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "POST");
                }
            } else if (path.startsWith("/v1/messages/")) {
                if (m.equals(HttpMethod.GET)) {
                    getMessage(ctx, keepAlive, path.substring("/v1/messages/".length()));
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "GET");
                }
            } else if (path.equals("/health")) {
                Health h = routes.health().get();
                send(ctx, keepAlive, h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h.detail());
            } else {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such resource: " + path));
            }
        } catch (InvalidRequestException e) {
            routes.counters().rejected.incrementAndGet();
            ObjectNode body = Json.error(e.code(), e.field(), e.getMessage());
            if (e.operator() != null) {
                body.put("operator", e.operator());
            }
            FullHttpResponse r = response(HttpResponseStatus.valueOf(e.httpStatus()), body);
            if (e.retryAfterSeconds() > 0) {
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
            }
            write(ctx, keepAlive, r);
        }
    }

    private void postMessage(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req) {
        JsonNode body = parse(req);
        JsonNode validity = body.get("validity");
        NewMessage message = routes.intake().validate(new Intake.Request("", text(body, "to"), text(body, "from"),
                text(body, "text"), text(body, "client_ref"), validity != null && validity.isNumber() ? validity.asText() : text(body, "validity")));
        routes.intake().accept(List.of(message)).whenComplete((results, err) -> {
            if (err != null) {
                fail(ctx, keepAlive, err);
                return;
            }
            AcceptResult r = results.get(0);
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("id", r.id());
            if (r.duplicate()) {
                routes.counters().duplicates.incrementAndGet();
                out.put("state", routes.store().find(r.id()).map(v -> v.state().name()).orElse("ACCEPTED"));
                out.put("duplicate", true);
                send(ctx, keepAlive, HttpResponseStatus.OK, out);
            } else {
                routes.counters().accepted.incrementAndGet();
                out.put("state", "ACCEPTED");
                out.put("operator", message.operator());
                send(ctx, keepAlive, HttpResponseStatus.ACCEPTED, out);
            }
        });
    }

    private void getMessage(ChannelHandlerContext ctx, boolean keepAlive, String id) {
        routes.store().find(id).ifPresentOrElse(
                v -> send(ctx, keepAlive, HttpResponseStatus.OK, Json.view(v)),
                () -> send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", "id", "no message with id " + id)));
    }

    private void fail(ChannelHandlerContext ctx, boolean keepAlive, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof StoreUnavailableException) {
            routes.counters().unavailable.incrementAndGet();
            send(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, Json.error("store_unavailable", null,
                    "the message was not stored: " + cause.getMessage() + "; retry later"));
        } else {
            LOG.error("request failed", cause);
            send(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal", null, "internal error: " + cause));
        }
    }

    /** The body as a JSON object whose keys are all known; anything else is a 400 that names the problem. */
    private static JsonNode parse(FullHttpRequest req) {
        String body = req.content().toString(StandardCharsets.UTF_8);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(400, "invalid_json", null, "body is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InvalidRequestException(400, "invalid_json", null, "body must be a JSON object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!MESSAGE_FIELDS.contains(f)) {
                throw InvalidRequestException.field(f, "unknown field '" + f + "' (expected: to, from, text, client_ref, validity)");
            }
        }
        return n;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw InvalidRequestException.field(field, field + " must be a string");
        }
        return v.textValue();
    }

    private static void methodNotAllowed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod m, String path, String allowed) {
        FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method_not_allowed", null,
                m + " is not allowed on " + path + "; use " + allowed));
        r.headers().set(HttpHeaderNames.ALLOW, allowed);
        write(ctx, keepAlive, r);
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        write(ctx, keepAlive, response(status, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, Object body) {
        byte[] b = Json.bytes(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        return r;
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("HTTP connection error: {}", cause.toString());
        }
        ctx.close();
    }
}
