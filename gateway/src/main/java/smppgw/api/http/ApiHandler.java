package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import smppgw.config.ClientConfig;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.metrics.Metrics;
import smppgw.store.AcceptResult;
import smppgw.store.MessageStore;
import smppgw.store.MessageView;
import smppgw.store.NewMessage;
import smppgw.store.StoreUnavailableException;
import smppgw.text.TextPlan;

/**
 * Routes HTTP requests; answers every one, errors included, with a JSON body. Once clients are
 * configured, every {@code /v1} call needs {@code Authorization: Bearer <api-key>} and sees only its own
 * messages; {@code /health} is open.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** What the handler serves. {@code health} reports the store and binds. */
    record Routes(Intake intake, MessageStore store, Clients clients, int maxBatch, Supplier<Health> health, Counters counters,
                  Metrics metrics, AdminRoutes admin) {
    }

    /** Request outcomes. */
    static final class Counters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong unauthorized = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
    }

    private final Routes routes;
    private String requestClient;
    private long startedAt;

    ApiHandler(Routes routes) {
        super(true);
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        requestClient = null;
        if (!req.decoderResult().isSuccess()) {
            send(ctx, false, HttpResponseStatus.BAD_REQUEST, Json.error("bad_request", null, "malformed HTTP request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        HttpMethod m = req.method();
        try {
            if (path.equals("/metrics")) {
                byte[] b = routes.metrics().scrape();
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(b));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, routes.metrics().contentType());
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
                write(ctx, keepAlive, r);
                return;
            }
            if (path.equals("/health")) {
                Health h = routes.health().get();
                send(ctx, keepAlive, h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h.detail());
                return;
            }
            if (path.startsWith("/admin/") && routes.admin() != null) {
                routes.admin().handleAsync(req, path, ctx.channel().remoteAddress()).whenComplete((a, err) -> {
                    if (err != null) {
                        fail(ctx, keepAlive, err);
                    } else {
                        send(ctx, keepAlive, a.status(), a.body());
                    }
                });
                return;
            }
            if (path.startsWith("/r/")) {
                redirect(ctx, keepAlive, req, path.substring(3));
                return;
            }
            if (!path.startsWith("/v1/")) {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such resource: " + path));
                return;
            }
            String client = authenticate(req);
            requestClient = client;
            startedAt = System.nanoTime();
            if (path.equals("/v1/messages")) {
                if (m.equals(HttpMethod.POST)) {
                    postMessage(ctx, keepAlive, req, client);
                } else if (m.equals(HttpMethod.GET) && uri.parameters().containsKey("client_ref")) {
                    String ref = uri.parameters().get("client_ref").get(0);
                    view(ctx, keepAlive, client, routes.store().findByClientRef(client, ref).orElse(null), "client_ref", ref);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "POST, or GET with ?client_ref=");
                }
            } else if (path.equals("/v1/messages/preview")) {
                if (m.equals(HttpMethod.POST)) {
                    NewMessage message = routes.intake().validate(MessageRequests.message(client, MessageRequests.body(req), ""));
                    ObjectNode out = Json.MAPPER.createObjectNode();
                    out.put("operator", message.operator());
                    out.put("to", message.to());
                    text(out, message);
                    TextPlan plan = routes.intake().plan(message);
                    plan.parts().forEach(out.putArray("parts")::add);
                    send(ctx, keepAlive, HttpResponseStatus.OK, out);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "POST");
                }
            } else if (path.equals("/v1/messages/batch")) {
                if (m.equals(HttpMethod.POST)) {
                    postBatch(ctx, keepAlive, req, client);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "POST");
                }
            } else if (path.startsWith("/v1/campaigns/") && path.indexOf('/', "/v1/campaigns/".length()) < 0) {
                String campaign = QueryStringDecoder.decodeComponent(path.substring("/v1/campaigns/".length()));
                new CampaignRoutes(routes.store(), routes.intake().linksConfigured()).handle(req, campaign, client).whenComplete((a, err) -> {
                    if (err != null) {
                        fail(ctx, keepAlive, err);
                    } else {
                        send(ctx, keepAlive, a.status(), a.body());
                    }
                });
            } else if (path.startsWith("/v1/campaigns/") && path.endsWith("/report")) {
                if (m.equals(HttpMethod.GET)) {
                    String campaign = QueryStringDecoder.decodeComponent(
                            path.substring("/v1/campaigns/".length(), path.length() - "/report".length()));
                    Reports.campaign(routes.store(), campaign, routes.clients().authRequired() ? client : null, uri)
                            .whenComplete((body, err) -> {
                                if (err != null) {
                                    fail(ctx, keepAlive, err);
                                } else {
                                    send(ctx, keepAlive, HttpResponseStatus.OK, body);
                                }
                            });
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "GET");
                }
            } else if (path.equals("/v1/redemptions")) {
                if (m.equals(HttpMethod.POST)) {
                    redeem(ctx, keepAlive, req, client);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "POST");
                }
            } else if (path.equals("/v1/optouts") || path.startsWith("/v1/optouts/")) {
                new OptOutRoutes(routes.store(), routes.intake(), routes.metrics()).handle(req, uri, client).whenComplete((a, err) -> {
                    if (err != null) {
                        fail(ctx, keepAlive, err);
                    } else {
                        send(ctx, keepAlive, a.status(), a.body());
                    }
                });
            } else if (path.startsWith("/v1/messages/")) {
                if (m.equals(HttpMethod.GET)) {
                    String id = path.substring("/v1/messages/".length());
                    view(ctx, keepAlive, client, id, "id", id);
                } else {
                    methodNotAllowed(ctx, keepAlive, m, path, "GET");
                }
            } else {
                send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such resource: " + path));
            }
        } catch (StoreUnavailableException e) {
            fail(ctx, keepAlive, e);
        } catch (InvalidRequestException e) {
            (e.httpStatus() == 401 ? routes.counters().unauthorized : routes.counters().rejected).incrementAndGet();
            routes.metrics().intake.labelValues("http", requestClient == null || requestClient.isEmpty() ? "-" : requestClient, e.code()).inc();
            FullHttpResponse r = response(HttpResponseStatus.valueOf(e.httpStatus()), error(e));
            if (e.retryAfterSeconds() > 0) {
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, e.retryAfterSeconds());
            }
            if (e.httpStatus() == 401) {
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            write(ctx, keepAlive, r);
        }
    }

    /** The client name the request belongs to ("" when no clients are configured); 401 otherwise. */
    private String authenticate(FullHttpRequest req) {
        if (!routes.clients().authRequired()) {
            return "";
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        return routes.clients().byApiKey(key).map(ClientConfig::name).orElseThrow(() -> new InvalidRequestException(401,
                "unauthorized", null, key == null ? "missing Authorization: Bearer <api-key>" : "unknown API key"));
    }

    /**
     * {@code GET /r/{token}}: 302 to the URL the tracking link stands for. A GET from a person's browser marks the
     * message READ via click; HEAD requests and link-preview fetchers get the redirect but count for nothing.
     */
    private void redirect(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req, String token) {
        smppgw.store.Link link = smppgw.compliance.TrackingLinks.isToken(token) ? routes.store().link(token).orElse(null) : null;
        if (link == null) {
            send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such link"));
            return;
        }
        String kind = !req.method().equals(HttpMethod.GET) ? "head"
                : smppgw.compliance.TrackingLinks.isFetcher(req.headers().get(HttpHeaderNames.USER_AGENT)) ? "fetcher" : "person";
        routes.metrics().linkClicks.labelValues(kind).inc();
        if (kind.equals("person")) {
            routes.store().find(link.id()).ifPresent(v -> routes.store().record(link.id(), v.message().operator(),
                    smppgw.store.Event.read(System.currentTimeMillis(), "click", link.url())));
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, link.url());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        write(ctx, keepAlive, r);
    }

    /**
     * {@code POST /v1/redemptions {"code"}}: the first redemption of a promo code marks its message READ via code
     * (200); a code redeemed before answers 409 {@code already_redeemed}, an unknown one (or another client's) 404.
     */
    private void redeem(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req, String client) {
        JsonNode body = MessageRequests.body(req);
        JsonNode code = body.get("code");
        if (code == null || !code.isTextual() || code.textValue().isBlank() || body.size() != 1) {
            throw InvalidRequestException.field("code", "expected {\"code\": \"K7M3QX9P\"} and nothing else");
        }
        String c = code.textValue().trim();
        routes.store().redeem(c, routes.clients().authRequired() ? client : null).whenComplete((r, err) -> {
            if (err != null) {
                fail(ctx, keepAlive, err);
                return;
            }
            routes.metrics().redemptions.labelValues(r.outcome().name().toLowerCase(java.util.Locale.ROOT)).inc();
            switch (r.outcome()) {
                case REDEEMED -> send(ctx, keepAlive, HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("code", c)
                        .put("id", r.messageId()).put("state", "READ").put("redeemed_at", Json.time(r.redeemedAt())));
                case ALREADY -> send(ctx, keepAlive, HttpResponseStatus.CONFLICT, Json.error("already_redeemed", "code", "code " + c
                        + " was redeemed at " + Json.time(r.redeemedAt())).put("id", r.messageId()).put("redeemed_at", Json.time(r.redeemedAt())));
                default -> send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("unknown_code", "code", "no message carries code " + c));
            }
        });
    }

    private void postMessage(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req, String client) {
        long started = startedAt;
        NewMessage message = routes.intake().validate(MessageRequests.message(client, MessageRequests.body(req), ""));
        if (routes.clients().take(client, 1, System.nanoTime()) < 1) {
            throw Clients.rateLimited(client, routes.clients().tps(client));
        }
        routes.intake().accept(List.of(message)).whenComplete((results, err) -> {
            if (err != null) {
                fail(ctx, keepAlive, err);
                return;
            }
            AcceptResult r = results.get(0);
            ObjectNode out = result(r, message);
            if (!r.stored()) {
                send(ctx, keepAlive, HttpResponseStatus.valueOf(routes.intake().refusal(r, message).httpStatus()), out);
                return;
            }
            routes.metrics().acceptLatency.labelValues("http").observe((System.nanoTime() - started) / 1e9);
            send(ctx, keepAlive, r.duplicate() ? HttpResponseStatus.OK : HttpResponseStatus.ACCEPTED, out);
        });
    }

    /**
     * {@code {"messages":[...]}}: every item is checked on its own; the valid ones are stored in one write.
     * Answers 200 with one result per item, in order: an id, or the error that item got.
     */
    private void postBatch(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest req, String client) {
        JsonNode items = MessageRequests.body(req).get("messages");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw InvalidRequestException.field("messages", "messages must be a non-empty array of messages");
        }
        if (items.size() > routes.maxBatch()) {
            throw InvalidRequestException.field("messages", items.size() + " messages in one batch; the limit is " + routes.maxBatch());
        }
        ObjectNode[] out = new ObjectNode[items.size()];
        List<NewMessage> valid = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                valid.add(routes.intake().validate(MessageRequests.message(client, items.get(i), "messages[" + i + "].")));
                positions.add(i);
            } catch (InvalidRequestException e) {
                routes.counters().rejected.incrementAndGet();
                routes.metrics().intake.labelValues("http", client.isEmpty() ? "-" : client, e.code()).inc();
                out[i] = error(e);
                String prefix = "messages[" + i + "].";
                if (e.field() != null && !e.field().startsWith(prefix)) {
                    out[i].put("field", prefix + e.field());
                }
            }
        }
        int allowed = routes.clients().take(client, valid.size(), System.nanoTime());
        while (valid.size() > allowed) {
            int i = positions.remove(positions.size() - 1);
            valid.remove(valid.size() - 1);
            routes.counters().rejected.incrementAndGet();
            routes.metrics().intake.labelValues("http", client.isEmpty() ? "-" : client, "rate_limited").inc();
            out[i] = error(Clients.rateLimited(client, routes.clients().tps(client)));
        }
        if (valid.isEmpty()) {
            send(ctx, keepAlive, HttpResponseStatus.OK, batchBody(out));
            return;
        }
        routes.intake().accept(valid).whenComplete((results, err) -> {
            if (err != null) {
                fail(ctx, keepAlive, err);
                return;
            }
            for (int k = 0; k < results.size(); k++) {
                out[positions.get(k)] = result(results.get(k), valid.get(k));
            }
            send(ctx, keepAlive, HttpResponseStatus.OK, batchBody(out));
        });
    }

    private ObjectNode batchBody(ObjectNode[] items) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        int ok = 0;
        for (ObjectNode n : items) {
            results.add(n);
            ok += n.has("id") ? 1 : 0;
        }
        body.put("accepted", ok);
        body.put("rejected", items.length - ok);
        return body;
    }

    private ObjectNode result(AcceptResult r, NewMessage m) {
        if (!r.stored()) {
            routes.counters().rejected.incrementAndGet();
            routes.metrics().intake.labelValues("http", m.client().isEmpty() ? "-" : m.client(), r.refusal()).inc();
            return error(routes.intake().refusal(r, m));
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", r.id());
        routes.metrics().intake.labelValues("http", m.client().isEmpty() ? "-" : m.client(), r.duplicate() ? "duplicate" : "accepted").inc();
        if (r.duplicate()) {
            routes.counters().duplicates.incrementAndGet();
            out.put("state", routes.store().find(r.id()).map(v -> v.state().name()).orElse("ACCEPTED"));
            out.put("duplicate", true);
        } else {
            routes.counters().accepted.incrementAndGet();
            out.put("state", "ACCEPTED");
            out.put("operator", m.operator());
            text(out, m);
        }
        return out;
    }

    /** encoding, segments, characters used (septets or UTF-16 units) and remaining in the last segment. */
    private void text(ObjectNode out, NewMessage m) {
        TextPlan plan = routes.intake().plan(m);
        out.put("encoding", plan.encoding());
        out.put("segments", plan.segments());
        out.put("characters", plan.units());
        out.put("remaining", plan.remaining());
    }

    /** A message by id, only to the client it belongs to (others get the same 404 as for an unknown id). */
    private void view(ChannelHandlerContext ctx, boolean keepAlive, String client, String id, String field, String value) {
        MessageView v = id == null ? null : routes.store().find(id).orElse(null);
        if (v != null && (!routes.clients().authRequired() || v.message().client().equals(client))) {
            send(ctx, keepAlive, HttpResponseStatus.OK, Json.view(v));
        } else {
            send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Json.error("not_found", field, "no message with " + field + " " + value));
        }
    }

    private static ObjectNode error(InvalidRequestException e) {
        ObjectNode body = Json.error(e.code(), e.field(), e.getMessage());
        if (e.operator() != null) {
            body.put("operator", e.operator());
        }
        return body;
    }

    private void fail(ChannelHandlerContext ctx, boolean keepAlive, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof InvalidRequestException e) { // found after the request was taken (a report, a campaign setting)
            routes.counters().rejected.incrementAndGet();
            send(ctx, keepAlive, HttpResponseStatus.valueOf(e.httpStatus()), error(e));
        } else if (cause instanceof StoreUnavailableException su) {
            routes.counters().unavailable.incrementAndGet();
            routes.metrics().intake.labelValues("http", requestClient == null || requestClient.isEmpty() ? "-" : requestClient, su.code()).inc();
            FullHttpResponse r = response(HttpResponseStatus.SERVICE_UNAVAILABLE, Json.error(su.code(), null,
                    "nothing was stored: " + su.getMessage() + "; retry later"));
            r.headers().setInt(HttpHeaderNames.RETRY_AFTER, su instanceof smppgw.store.DiskFullException ? 30 : 5);
            write(ctx, keepAlive, r);
        } else {
            LOG.error("request failed", cause);
            send(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal", null, "internal error: " + cause));
        }
    }

    private static void methodNotAllowed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod m, String path, String allowed) {
        FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED, Json.error("method_not_allowed", null,
                m + " is not allowed on " + path + "; use " + allowed));
        r.headers().set(HttpHeaderNames.ALLOW, allowed.startsWith("POST, or GET") ? "POST, GET" : allowed);
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
