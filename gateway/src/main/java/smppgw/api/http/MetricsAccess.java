package smppgw.api.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import smppgw.config.GatewayConfig;
import smppgw.intake.InvalidRequestException;

/**
 * Who may read {@code /metrics}: with {@code metrics.api-key}, whoever sends it as a Bearer key (401 otherwise); without
 * one, any peer of {@code metrics.listen} (an address the operator chose for it), and on the API port loopback peers only
 * (403), since the API port may face integrators and the figures name clients and volumes. On the API port with
 * {@code metrics.listen} set, there is no {@code /metrics} (404).
 */
final class MetricsAccess {
    private final byte[] key;
    private final boolean ownListener;

    private MetricsAccess(String key, boolean ownListener) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        this.ownListener = ownListener;
    }

    /** The rule on the API port. */
    static MetricsAccess apiPort(smppgw.config.MetricsConfig c) {
        return new MetricsAccess(c.apiKey(), false);
    }

    /** The rule on {@code metrics.listen}. */
    static MetricsAccess ownListener(smppgw.config.MetricsConfig c) {
        return new MetricsAccess(c.apiKey(), true);
    }

    /** @throws InvalidRequestException 401 or 403 with the reason, when this request may not read the metrics */
    void check(FullHttpRequest req, SocketAddress peer) {
        if (key != null) {
            String h = req.headers().get(HttpHeaderNames.AUTHORIZATION);
            String given = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
            if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
                throw new InvalidRequestException(401, "unauthorized", null,
                        given == null ? "missing Authorization: Bearer <metrics.api-key>" : "wrong metrics key");
            }
            return;
        }
        if (!ownListener && !(peer instanceof InetSocketAddress a && a.getAddress().isLoopbackAddress())) {
            throw new InvalidRequestException(403, "forbidden", null,
                    "/metrics answers loopback peers only on the API port: set metrics.api-key or metrics.listen");
        }
    }
}
