package smppgw.api.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import smppgw.config.ClientConfig;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.metrics.Metrics;
import smppgw.store.MessageStore;
import smppgw.store.StoreUnavailableException;

/**
 * Takes each HTTP request to the route that answers it (the table below); answers every one, errors included, with a
 * JSON body. Once clients are configured, every {@code /v1} call needs {@code Authorization: Bearer <api-key>} and sees
 * only its own messages; {@code /health}, {@code /metrics} and {@code /r/} are open, {@code /admin} has its own rules.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

    /** What the handler serves. {@code health} reports the store and binds. */
    record Routes(Intake intake, MessageStore store, Clients clients, int maxBatch, Supplier<Health> health, Counters counters,
                  Metrics metrics, AdminRoutes admin, MetricsAccess metricsAccess) {
    }

    /** Request outcomes. */
    static final class Counters {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong unauthorized = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
    }

    /** What answers a request: the part of the path the route matched on is given ({@code rest}). */
    private interface Handler {
        void handle(Exchange ex, String rest);
    }

    /**
     * A resource: a path exactly, or a prefix (and then a suffix), the methods it takes, whether it needs a client's key.
     * The first route whose path matches answers; a method it does not take is a 405 naming those it does.
     */
    private record Route(String prefix, String suffix, boolean exact, List<HttpMethod> methods, boolean authenticated, Handler handler) {
        static Route exact(String path, boolean auth, Handler h, HttpMethod... methods) {
            return new Route(path, "", true, List.of(methods), auth, h);
        }

        static Route under(String prefix, String suffix, boolean auth, Handler h, HttpMethod... methods) {
            return new Route(prefix, suffix, false, List.of(methods), auth, h);
        }

        /** What the path has between prefix and suffix, or null if it is not this route's. */
        String match(String path) {
            if (exact) {
                return path.equals(prefix) ? "" : null;
            }
            if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() < prefix.length() + suffix.length()) {
                return null;
            }
            String rest = path.substring(prefix.length(), path.length() - suffix.length());
            return suffix.isEmpty() && rest.contains("/") ? null : rest;
        }

        String allowed() {
            return String.join(", ", methods.stream().map(HttpMethod::name).toList());
        }
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod DELETE = HttpMethod.DELETE;
    private static final HttpMethod HEAD = HttpMethod.HEAD;

    private static final List<Route> TABLE = List.of(
            Route.exact("/metrics", false, (ex, r) -> metrics(ex), GET),
            Route.exact("/health", false, (ex, r) -> health(ex), GET, HEAD),
            Route.under("/r/", "", false, TrackRoutes::redirect, GET, HEAD),
            Route.exact("/v1/messages", true, (ex, r) -> {
                if (ex.req.method().equals(POST)) {
                    MessageRoutes.post(ex);
                } else if (ex.uri.parameters().containsKey("client_ref")) {
                    MessageRoutes.byClientRef(ex);
                } else {
                    ex.methodNotAllowed("POST, or GET with ?client_ref=");
                }
            }, POST, GET),
            Route.exact("/v1/messages/preview", true, (ex, r) -> MessageRoutes.preview(ex), POST),
            Route.exact("/v1/messages/batch", true, (ex, r) -> MessageRoutes.batch(ex), POST),
            Route.under("/v1/messages/", "", true, MessageRoutes::byId, GET, DELETE),
            Route.exact("/console", false, (ex, r) -> Console.serve(ex, "index.html"), GET, HEAD),
            Route.under("/console/", "", false, Console::serve, GET, HEAD),
            Route.exact("/v1/campaigns", true, (ex, r) -> ex.send(HttpResponseStatus.OK,
                    CampaignRoutes.list(ex.routes.store(), ex.routes.clients().authRequired() ? ex.client : null, ex.routes.intake().clock().millis())), GET),
            Route.under("/v1/campaigns/", "/report", true, ApiHandler::report, GET),
            Route.under("/v1/campaigns/", "/recipients", true, RecipientRoutes::post, POST),
            Route.under("/v1/campaigns/", "/cancel", true, RecipientRoutes::cancel, POST),
            Route.under("/v1/campaigns/", "/start", true, CampaignStart::start, POST),
            Route.under("/v1/campaigns/", "/pause", true, (ex, name) -> RecipientRoutes.pause(ex, name, true), POST),
            Route.under("/v1/campaigns/", "/resume", true, (ex, name) -> RecipientRoutes.pause(ex, name, false), POST),
            Route.under("/v1/campaigns/", "/messages", true, ApiHandler::campaignMessages, GET),
            Route.under("/v1/campaigns/", "", true, ApiHandler::campaign, GET, PUT),
            Route.exact("/v1/redemptions", true, (ex, r) -> TrackRoutes.redeem(ex), POST),
            Route.exact("/v1/conversions", true, (ex, r) -> ConversionRoutes.post(ex), POST),
            Route.exact("/v1/optouts", true, ApiHandler::optOuts, GET, POST),
            Route.under("/v1/optouts/", "", true, ApiHandler::optOuts, GET, DELETE));

    private final Routes routes;

    ApiHandler(Routes routes) {
        super(true);
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        handle(ctx, req, null);
    }

    /**
     * Answers {@code req} (not released here); the answer goes to {@code sink} (from any thread) instead of the connection
     * when one is given.
     */
    void handle(ChannelHandlerContext ctx, FullHttpRequest req, java.util.function.Consumer<FullHttpResponse> sink) {
        Exchange ex = new Exchange(ctx, req, routes, sink);
        if (!req.decoderResult().isSuccess()) {
            ex.send(HttpResponseStatus.BAD_REQUEST, Json.error("bad_request", null, "malformed HTTP request"));
            return;
        }
        String path = ex.path();
        try {
            if (path.startsWith("/admin/") && routes.admin() != null) {
                CompletableFuture<AdminRoutes.Answer> a = routes.admin().handleAsync(req, path, ctx.channel().remoteAddress());
                a.whenComplete((answer, err) -> {
                    if (err != null) {
                        ex.fail(err);
                    } else {
                        ex.send(answer.status(), answer.body());
                    }
                });
                return;
            }
            for (Route route : TABLE) {
                String rest = route.match(path);
                if (rest == null) {
                    continue;
                }
                if (route.authenticated()) {
                    ex.client = authenticate(req);
                }
                if (!route.methods().contains(req.method())) {
                    ex.methodNotAllowed(route.allowed());
                } else {
                    route.handler().handle(ex, rest);
                }
                return;
            }
            if (path.startsWith("/v1/")) {
                ex.client = authenticate(req); // an unknown /v1 resource says 401 to whoever has no key, as every /v1 call
            }
            ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such resource: " + path));
        } catch (StoreUnavailableException e) {
            ex.fail(e);
        } catch (InvalidRequestException e) {
            ex.refuse(e);
        }
    }

    /** The client name the request is from ({@code ""} when no clients are configured); 401 otherwise. */
    private String authenticate(FullHttpRequest req) {
        if (!routes.clients().authRequired()) {
            return "";
        }
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
        return routes.clients().byApiKey(key).map(ClientConfig::name).orElseThrow(() -> new InvalidRequestException(401,
                "unauthorized", null, key == null ? "missing Authorization: Bearer <api-key>" : "unknown API key"));
    }

    private static void metrics(Exchange ex) {
        if (ex.routes.metricsAccess() == null) {
            ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "/metrics is served on metrics.listen"));
            return;
        }
        ex.routes.metricsAccess().check(ex.req, ex.ctx.channel().remoteAddress());
        byte[] b = ex.routes.metrics().scrape();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, ex.routes.metrics().contentType());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        ex.write(r);
    }

    private static void health(Exchange ex) {
        Health h = ex.routes.health().get();
        ex.send(h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, h.detail());
    }

    private static void campaign(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        new CampaignRoutes(ex.routes.store(), ex.routes.intake().linksConfigured(), ex.routes.intake().clock())
                .handle(ex.req, campaign, ex.client).whenComplete((a, err) -> {
                    if (err != null) {
                        ex.fail(err);
                    } else {
                        ex.send(a.status(), a.body());
                    }
                });
    }

    private static void report(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        ex.answer(Reports.campaign(ex.routes.store(), campaign, ex.routes.clients().authRequired() ? ex.client : null, ex.uri,
                ex.req.headers().contains(Reports.PARTS)),
                HttpResponseStatus.OK);
    }

    private static void campaignMessages(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        Reports.messages(ex.routes.store(), campaign, ex.routes.clients().authRequired() ? ex.client : null, ex.uri,
                ex.req.headers().contains(Reports.PARTS)).whenComplete((r, err) -> {
            if (err != null) {
                ex.fail(err);
            } else {
                ex.write(r);
            }
        });
    }

    static OptOutRoutes optOutRoutes(Routes r) {
        return new OptOutRoutes(r.store(), r.intake(), r.metrics(), () -> r.clients().all().stream().map(smppgw.config.ClientConfig::name).toList());
    }

    private static void optOuts(Exchange ex, String rest) {
        optOutRoutes(ex.routes).handle(ex.req, ex.uri, ex.client).whenComplete((a, err) -> {
            if (err != null) {
                ex.fail(err);
            } else {
                ex.send(a.status(), a.body());
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("HTTP connection error: {}", cause.toString());
        }
        ctx.close();
    }
}
