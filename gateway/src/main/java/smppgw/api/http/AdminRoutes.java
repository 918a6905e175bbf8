package smppgw.api.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import smppgw.config.ConfigException;
import smppgw.config.ReloadRefusedException;
import smppgw.intake.InvalidRequestException;
import smppgw.store.MessageStore;

/**
 * {@code /admin/...}: status, pause / resume / drain an operator, any message by id, reload the configuration, run
 * retention, every suppression list. Always behind a key sent as {@code Authorization: Bearer}: {@code admin.api-key}
 * when configured (any peer), else the token the gateway writes at start to {@code <data-dir>/admin.token} (mode 0640,
 * so its owner and group: what the CLI reads) and loopback peers only. Against a browser on the host being made to
 * call it (CSRF, DNS rebinding): a {@code Host} must be an IP address, {@code localhost} or one of
 * {@code admin.allowed-hosts}, an {@code Origin} must be that host's, and a POST must be {@code application/json}
 * (which a cross-site form cannot send; PUT and DELETE need a CORS preflight, never granted).
 */
final class AdminRoutes {
    /** An answer: status and JSON body. */
    record Answer(HttpResponseStatus status, Object body) {
    }

    private final Admin admin;
    private final MessageStore store;
    private final String apiKey;

    private final OptOutRoutes optOuts;

    private final java.util.Set<String> allowedHosts;

    AdminRoutes(Admin admin, MessageStore store, String apiKey, OptOutRoutes optOuts, java.util.Set<String> allowedHosts) {
        this.optOuts = optOuts;
        this.allowedHosts = allowedHosts;
        this.admin = admin;
        this.store = store;
        this.configuredKey = apiKey != null;
        this.apiKey = apiKey != null ? apiKey : newToken();
    }

    /** The same admin, key and allowed hosts, answering from {@code store} (a shard's core, on a sharded node's front). */
    AdminRoutes withStore(MessageStore store, OptOutRoutes optOuts) {
        return new AdminRoutes(this, store, optOuts);
    }

    private AdminRoutes(AdminRoutes of, MessageStore store, OptOutRoutes optOuts) {
        this.admin = of.admin;
        this.store = store;
        this.apiKey = of.apiKey;
        this.configuredKey = of.configuredKey;
        this.optOuts = optOuts;
        this.allowedHosts = of.allowedHosts;
    }

    /** Whether the key is admin.api-key (any peer), not the generated token (loopback only). */
    private final boolean configuredKey;

    /** 32 random characters: the admin token when no admin.api-key is configured. */
    private static String newToken() {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The token to write to the data directory, or null when admin.api-key is configured (nothing to write). */
    String generatedToken() {
        return configuredKey ? null : apiKey;
    }

    /** Answers at once, or for a report or a purge when it is done (never waiting on the I/O thread). */
    java.util.concurrent.CompletableFuture<Answer> handleAsync(FullHttpRequest req, String path, SocketAddress peer) {
        authorize(req, peer);
        HttpMethod m = req.method();
        if (path.startsWith("/admin/campaigns/") && path.endsWith("/report") && m.equals(HttpMethod.GET)) {
            String campaign = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(
                    path.substring("/admin/campaigns/".length(), path.length() - "/report".length()));
            return Reports.campaign(store, campaign, null, new io.netty.handler.codec.http.QueryStringDecoder(req.uri()),
                    req.headers().contains(Reports.PARTS))
                    .thenApply(body -> new Answer(HttpResponseStatus.OK, body));
        }
        if (path.equals("/admin/campaigns") && m.equals(HttpMethod.GET)) {
            return java.util.concurrent.CompletableFuture.completedFuture(new Answer(HttpResponseStatus.OK, CampaignRoutes.list(store, null, System.currentTimeMillis())));
        }
        if (path.equals("/admin/purge") && m.equals(HttpMethod.POST)) {
            return purge();
        }
        if (path.equals("/admin/optouts") || path.startsWith("/admin/optouts/")) {
            return optOuts.handleAdmin(req, new io.netty.handler.codec.http.QueryStringDecoder(req.uri()));
        }
        return java.util.concurrent.CompletableFuture.completedFuture(handle(req, path, m));
    }

    private Answer handle(FullHttpRequest req, String path, HttpMethod m) {
        if (path.equals("/admin/status") && m.equals(HttpMethod.GET)) {
            return new Answer(HttpResponseStatus.OK, admin.status());
        }
        if (path.startsWith("/admin/messages/") && m.equals(HttpMethod.GET)) {
            String id = path.substring("/admin/messages/".length());
            return store.find(id).map(v -> new Answer(HttpResponseStatus.OK, Json.view(v)))
                    .orElse(new Answer(HttpResponseStatus.NOT_FOUND, Json.error("not_found", "id", "no message with id " + id)));
        }
        if (path.equals("/admin/reload") && m.equals(HttpMethod.POST)) {
            return reload();
        }
        String[] p = path.split("/");
        if (p.length == 5 && p[2].equals("operators") && m.equals(HttpMethod.POST)) {
            String op = p[3];
            boolean known = switch (p[4]) {
                case "pause" -> admin.pause(op);
                case "resume" -> admin.resume(op);
                case "drain" -> admin.drain(op);
                default -> throw new InvalidRequestException(404, "not_found", null, "no admin action " + p[4] + " (pause, resume, drain)");
            };
            if (!known) {
                return new Answer(HttpResponseStatus.NOT_FOUND, Json.error("not_found", "operator", "no operator " + op));
            }
            return new Answer(HttpResponseStatus.OK, admin.operatorStatus(op));
        }
        return new Answer(HttpResponseStatus.NOT_FOUND, Json.error("not_found", null, "no admin resource " + m + " " + path));
    }

    /** Runs retention now; answers once it is done, with what it removed. */
    private java.util.concurrent.CompletableFuture<Answer> purge() {
        return store.purge().thenApply(r -> {
            com.fasterxml.jackson.databind.node.ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("messages", r.messages());
            n.put("mo", r.inbound());
            r.files().forEach(n.putArray("files")::add);
            return new Answer(HttpResponseStatus.OK, n);
        });
    }

    /** 200 with what changed; 422 with every problem of an invalid file; 409 with the settings that need a restart. */
    private Answer reload() {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode n = Json.MAPPER.createObjectNode();
            admin.reload().forEach(n.putArray("applied")::add);
            return new Answer(HttpResponseStatus.OK, n);
        } catch (ConfigException e) {
            com.fasterxml.jackson.databind.node.ObjectNode n = Json.error("invalid_config", null,
                    "the configuration file is not valid; the running configuration is unchanged");
            e.problems().forEach(n.putArray("problems")::add);
            return new Answer(HttpResponseStatus.UNPROCESSABLE_ENTITY, n);
        } catch (ReloadRefusedException e) {
            com.fasterxml.jackson.databind.node.ObjectNode n = Json.error("restart_required", null, e.getMessage());
            e.needingRestart().forEach(n.putArray("needs_restart")::add);
            return new Answer(HttpResponseStatus.CONFLICT, n);
        }
    }

    /**
     * The checks against other sites' pages (DNS rebinding, cross-site requests), also made by a standby before it
     * forwards an admin request. @throws InvalidRequestException 403
     */
    static void checkSite(FullHttpRequest req, java.util.Set<String> allowedHosts) {
        String host = hostOf(req.headers().get(HttpHeaderNames.HOST));
        if (host != null && !host.equals("localhost") && !isIpLiteral(host) && !allowedHosts.contains(host)) {
            throw new InvalidRequestException(403, "forbidden", null, "Host " + host + " is not this gateway's (an IP address, localhost,"
                    + " or one of admin.allowed-hosts)");
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && (host == null || !host.equals(hostOf(origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", ""))))) {
            throw new InvalidRequestException(403, "forbidden", null, "Origin " + origin + " is not this gateway's: the admin API is not for"
                    + " other sites' pages");
        }
    }

    /** Refuses {@code req} (401, 403, 415) unless it carries this node's key, as any admin request. */
    void check(FullHttpRequest req, SocketAddress peer) {
        authorize(req, peer);
    }

    /** The key this node's admin API takes ({@code admin.api-key}, or the token it generated). */
    String key() {
        return apiKey;
    }

    private void authorize(FullHttpRequest req, SocketAddress peer) {
        if (apiKey == null) {
            throw new InvalidRequestException(503, "admin_unavailable", null, "the admin API has no key yet");
        }
        checkSite(req, allowedHosts);
        String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
        if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidRequestException(401, "unauthorized", null, configuredKey
                    ? "the admin API needs Authorization: Bearer <admin.api-key>"
                    : "the admin API needs Authorization: Bearer <the token in the data directory's admin.token>; smppgw's CLI reads it");
        }
        if (!configuredKey && (!(peer instanceof InetSocketAddress a) || !a.getAddress().isLoopbackAddress())) {
            throw new InvalidRequestException(403, "forbidden", null, "the admin API answers loopback peers only (set admin.api-key to open it)");
        }
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.POST)) { // PUT and DELETE cannot cross sites without a CORS preflight, which is never granted
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                throw new InvalidRequestException(415, "unsupported_media_type", null, "POST on the admin API takes Content-Type: application/json"
                        + " (a body of {} when there is nothing to say)");
            }
        }
    }

    /** A Host header's (or an origin's) host name, lower case, without port and brackets; null for none. */
    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return null;
        }
        String h = hostHeader.trim().toLowerCase(java.util.Locale.ROOT);
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    /** A failed admin request's answer: its refusal (401 with {@code WWW-Authenticate}, 403, ...), or a 500 logged. */
    static io.netty.handler.codec.http.FullHttpResponse refusal(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof InvalidRequestException e) {
            io.netty.handler.codec.http.FullHttpResponse r = Exchange.response(HttpResponseStatus.valueOf(e.httpStatus()), Exchange.error(e));
            if (e.httpStatus() == 401) {
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            return r;
        }
        org.slf4j.LoggerFactory.getLogger(AdminRoutes.class).error("admin request failed", cause);
        return Exchange.response(HttpResponseStatus.INTERNAL_SERVER_ERROR, Json.error("internal", null, "internal error: " + cause));
    }
}
