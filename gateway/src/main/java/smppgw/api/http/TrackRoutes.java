package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import smppgw.intake.InvalidRequestException;
import smppgw.model.Event;
import smppgw.model.Link;
import smppgw.track.TrackingLinks;

/** Read signals over HTTP: a tracking link's redirect ({@code /r/{token}}), a promo code's redemption. */
final class TrackRoutes {
    private TrackRoutes() {
    }

    /**
     * {@code GET /r/{token}}: 302 to the URL the tracking link stands for. A GET from a person's browser marks the
     * message READ via click; a machine's ({@link smppgw.track.UserAgents}) is kept as a SIGNAL with
     * {@code human: false}; HEAD requests and prefetches get the redirect and count for nothing.
     */
    static void redirect(Exchange ex, String token) {
        Link link = TrackingLinks.isToken(token) ? ex.routes.store().link(token).orElse(null) : null;
        if (link == null) {
            ex.send(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no such link"));
            return;
        }
        String machine = smppgw.track.UserAgents.machine(ex.req.headers().get(HttpHeaderNames.USER_AGENT));
        String kind = !ex.req.method().equals(HttpMethod.GET) ? "head" : prefetch(ex.req.headers()) ? "prefetch"
                : machine != null ? machine : "person";
        ex.routes.metrics().linkClicks.labelValues(kind).inc();
        if (!kind.equals("head") && !kind.equals("prefetch")) {
            long now = ex.routes.intake().clock().millis();
            ex.routes.store().find(link.id()).ifPresent(v -> ex.routes.store().record(link.id(), v.message().operator(),
                    machine == null ? Event.read(now, "click", link.url()) : Event.machineClick(now, link.url(), machine)));
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, link.url());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ex.write(r);
    }

    /** A browser fetching ahead of a click that may never come ({@code Purpose} / {@code Sec-Purpose: prefetch}). */
    private static boolean prefetch(io.netty.handler.codec.http.HttpHeaders h) {
        String p = h.get("Sec-Purpose", h.get("Purpose", h.get("X-Purpose", h.get("X-Moz", ""))));
        return p.toLowerCase(java.util.Locale.ROOT).contains("prefetch") || p.toLowerCase(java.util.Locale.ROOT).contains("preview");
    }

    /**
     * {@code POST /v1/redemptions {"code"}}: the first redemption of a promo code marks its message READ via code
     * (200); a code redeemed before answers 409 {@code already_redeemed}, an unknown one (or another client's) 404.
     */
    static void redeem(Exchange ex) {
        JsonNode body = MessageRequests.body(ex.req);
        JsonNode code = body.get("code");
        if (code == null || !code.isTextual() || code.textValue().isBlank() || body.size() != 1) {
            throw InvalidRequestException.field("code", "expected {\"code\": \"K7M3QX9P\"} and nothing else");
        }
        String c = code.textValue().trim();
        ex.routes.store().redeem(c, ex.routes.clients().authRequired() ? ex.client : null).whenComplete((r, err) -> {
            if (err != null) {
                ex.fail(err);
                return;
            }
            ex.routes.metrics().redemptions.labelValues(r.outcome().name().toLowerCase(java.util.Locale.ROOT)).inc();
            switch (r.outcome()) {
                case REDEEMED -> ex.send(HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("code", c)
                        .put("id", r.messageId()).put("state", "READ").put("redeemed_at", Json.time(r.redeemedAt())));
                case ALREADY -> ex.send(HttpResponseStatus.CONFLICT, Json.error("already_redeemed", "code", "code " + c
                        + " was redeemed at " + Json.time(r.redeemedAt())).put("id", r.messageId()).put("redeemed_at", Json.time(r.redeemedAt())));
                default -> ex.send(HttpResponseStatus.NOT_FOUND, Json.error("unknown_code", "code", "no message carries code " + c));
            }
        });
    }
}
