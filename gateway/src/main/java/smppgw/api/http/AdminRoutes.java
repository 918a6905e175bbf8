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
 * {@code /admin/...}: status, pause / resume / drain an operator, any message by id, reload the configuration, run retention. Allowed to loopback
 * peers, or with {@code admin.api-key} configured to whoever sends it as a Bearer token.
 */
final class AdminRoutes {
    /** An answer: status and JSON body. */
    record Answer(HttpResponseStatus status, Object body) {
    }

    private final Admin admin;
    private final MessageStore store;
    private final String apiKey;

    private final OptOutRoutes optOuts;

    AdminRoutes(Admin admin, MessageStore store, String apiKey, OptOutRoutes optOuts) {
        this.optOuts = optOuts;
        this.admin = admin;
        this.store = store;
        this.apiKey = apiKey;
    }

    /** Answers at once, or for a report or a purge when it is done (never waiting on the I/O thread). */
    java.util.concurrent.CompletableFuture<Answer> handleAsync(FullHttpRequest req, String path, SocketAddress peer) {
        authorize(req, peer);
        HttpMethod m = req.method();
        if (path.startsWith("/admin/campaigns/") && path.endsWith("/report") && m.equals(HttpMethod.GET)) {
            String campaign = io.netty.handler.codec.http.QueryStringDecoder.decodeComponent(
                    path.substring("/admin/campaigns/".length(), path.length() - "/report".length()));
            return Reports.campaign(store, campaign, null, new io.netty.handler.codec.http.QueryStringDecoder(req.uri()))
                    .thenApply(body -> new Answer(HttpResponseStatus.OK, body));
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
            return new Answer(HttpResponseStatus.OK, admin.status().get("operators").get(op));
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

    private void authorize(FullHttpRequest req, SocketAddress peer) {
        if (apiKey != null) {
            String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : "";
            if (!MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
                throw new InvalidRequestException(401, "unauthorized", null, "the admin API needs Authorization: Bearer <admin.api-key>");
            }
            return;
        }
        if (!(peer instanceof InetSocketAddress a) || !a.getAddress().isLoopbackAddress()) {
            throw new InvalidRequestException(403, "forbidden", null, "the admin API answers loopback peers only (set admin.api-key to open it)");
        }
    }
}
