package smppgw.route;

import org.junit.jupiter.api.Test;

import java.util.List;

import smppgw.config.OperatorConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouterTest {
    private static OperatorConfig op(String name, boolean dflt, String... prefixes) {
        return new OperatorConfig(name, List.of(prefixes), dflt, 0, 1, java.time.Duration.ofHours(1), null, null, null, List.of(), null);
    }

    @Test
    void longestPrefixWinsThenTheDefault() {
        Router r = new Router(List.of(op("orange", false, "+336", "+337"), op("free", false, "+33695"), op("intl", true)));
        assertEquals("orange", r.route("+33612345678"));
        assertEquals("free", r.route("+33695123456"));
        assertEquals("orange", r.route("+33712345678"));
        assertEquals("intl", r.route("+442079460000"));
    }

    @Test
    void noMatchAndNoDefaultIsNoRoute() {
        assertNull(new Router(List.of(op("orange", false, "+336"))).route("+442079460000"));
    }
}
