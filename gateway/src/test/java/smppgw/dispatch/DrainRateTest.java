package smppgw.dispatch;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How fast an operator's backlog drains, as max-backlog-time reads it: not the part of a second sent so far when sending has
 * just started (it refused a backlog of 300 at 10/s, 30 s, under a 2-minute bound: a flaky BackpressureTest showed it), but
 * what a whole second with messages waiting all along achieved.
 */
class DrainRateTest {
    private static final long S = 1_000_000_000L;

    private static OperatorConfig operator(int tps) {
        return GatewayConfig.parse("test", "data-dir: /tmp/unused\noperators:\n  - name: fr\n    default: true\n    tps: " + tps + "\n"
                + "    binds: [{host: 127.0.0.1, port: 2775, system-id: a, password: pw}]\n", Path.of("/tmp/unused")).operators().get(0);
    }

    @Test
    void justStartedItDrainsAtItsRateNotAtWhatItSentSoFar() {
        long t0 = 100 * S;
        RateControl r = new RateControl(operator(10), t0);
        r.adjust(t0);
        assertEquals(0, r.drainTps(), "nothing sent: unknown, no time bound");
        r.recordSend(t0 + S / 10);
        r.recordSend(t0 + S / 5);
        r.adjust(t0 + S / 4);
        assertEquals(10, r.drainTps(), "two sent in a quarter of a second, at 10/s: it drains at 10/s");
    }

    @Test
    void aWholeBusySecondSaysWhatTheSmscReallyTakes() {
        long t0 = 100 * S;
        RateControl r = new RateControl(operator(200), t0);
        for (int i = 0; i < 30; i++) { // a slow SMSC: 3 a second for ten seconds, messages waiting all along
            r.recordSend(t0 + i * S / 3);
            r.adjust(t0 + i * S / 3);
        }
        r.adjust(t0 + 10 * S);
        assertEquals(3, r.drainTps(), 1, "what it sent in a busy second, not its tps of 200");
    }

    @Test
    void aSecondThatBeganIdleSaysNothing() {
        long t0 = 100 * S;
        RateControl r = new RateControl(operator(0), t0);
        for (int i = 0; i < 10; i++) { // light traffic: one message, then nothing to send, every 300 ms
            r.recordSend(t0 + i * 3 * S / 10);
            r.idle(t0 + i * 3 * S / 10 + 1);
            r.adjust(t0 + i * 3 * S / 10 + 2);
        }
        assertEquals(4, r.drainTps(), 1, "no busy second: what it achieves now (no tps to go by)");
    }
}
