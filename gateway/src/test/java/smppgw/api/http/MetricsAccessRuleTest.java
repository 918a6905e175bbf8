package smppgw.api.http;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import smppgw.config.GatewayConfig;
import smppgw.config.HostPort;
import smppgw.intake.InvalidRequestException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The /metrics rule for peers a loopback-only test cannot be: another host on the API port. */
class MetricsAccessRuleTest {
    private static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    private static DefaultFullHttpRequest get(String key) {
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/metrics");
        if (key != null) {
            r.headers().set("Authorization", "Bearer " + key);
        }
        return r;
    }

    @Test
    void withoutKeyTheApiPortAnswersLoopbackOnlyAndItsOwnListenerAnyone() {
        smppgw.config.MetricsConfig none = new smppgw.config.MetricsConfig(null, null);
        assertEquals(403, assertThrows(InvalidRequestException.class, () -> MetricsAccess.apiPort(none).check(get(null), REMOTE)).httpStatus());
        assertDoesNotThrow(() -> MetricsAccess.apiPort(none).check(get(null), LOCAL));
        smppgw.config.MetricsConfig own = new smppgw.config.MetricsConfig(null, HostPort.parse("10.0.0.5:9100"));
        assertDoesNotThrow(() -> MetricsAccess.ownListener(own).check(get(null), REMOTE));
    }

    @Test
    void aKeyOpensItToAnyPeerAndIsRequiredFromLoopbackToo() {
        smppgw.config.MetricsConfig keyed = new smppgw.config.MetricsConfig("scrape-key-0123456789", null);
        assertDoesNotThrow(() -> MetricsAccess.apiPort(keyed).check(get("scrape-key-0123456789"), REMOTE));
        assertEquals(401, assertThrows(InvalidRequestException.class, () -> MetricsAccess.apiPort(keyed).check(get(null), LOCAL)).httpStatus());
        assertEquals(401, assertThrows(InvalidRequestException.class, () -> MetricsAccess.apiPort(keyed).check(get("scrape-key-012345678"), REMOTE)).httpStatus());
    }
}
