package smppgw.it;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import smppgw.testing.GatewayExtension;
import smppgw.testing.Ports;
import smppgw.testing.RawSmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guessing SMPP passwords: one guess per connection, and a system-id locked out after five wrong ones (30 s at first). */
class BindLockoutTest {
    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();

    private int port;

    private int bind(String systemId, String password, boolean secondGuessOnTheSameConnection) throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            int status = raw.bind(systemId, password);
            if (status != SmppConstants.STATUS_OK) {
                if (secondGuessOnTheSameConnection) {
                    BindTransceiver again = new BindTransceiver();
                    again.setSystemId(systemId);
                    again.setPassword("pw");
                    again.setSequenceNumber(2);
                    try {
                        raw.send(again);
                    } catch (java.io.IOException closed) {
                        // already closed: fine
                    }
                }
                assertTrue(raw.closedByServer(), "a refused bind's connection is closed, nothing more answered on it");
            }
            return status;
        }
    }

    @Test
    void fiveWrongPasswordsThenTheSystemIdIsLockedOutEvenForTheRightOneUntilTheLockEnds() throws Exception {
        port = Ports.free();
        env.simulator("  receipt-delay: 1ms\n");
        env.startWith("smpp-server: {listen: 127.0.0.1:" + port + "}\nclients:\n  - {name: acme, system-id: acme, password: pw}\n"
                        + "  - {name: globex, system-id: globex, password: pw}\n",
                smppgw.testing.Configs.operator("fr", null, true, env.smscPort(), 1, 10));
        for (int i = 0; i < 5; i++) {
            assertEquals(SmppConstants.STATUS_INVPASWD, bind("acme", "guess" + i, true));
        }
        assertEquals(SmppConstants.STATUS_INVPASWD, bind("acme", "guess5", false), "the sixth is refused and starts a lockout");
        assertEquals(SmppConstants.STATUS_BINDFAIL, bind("acme", "pw", false), "locked out: the right password does not get in");
        assertEquals(SmppConstants.STATUS_OK, bind("globex", "pw", false), "another system-id from the same address does");
        String metrics = env.http().getText("/metrics")[1];
        assertTrue(metrics.contains("smppgw_smpp_binds_refused_total{reason=\"wrong_password\"} 6.0"), metrics);
        assertTrue(metrics.contains("smppgw_smpp_binds_refused_total{reason=\"locked_out\"} 1.0"), metrics);
        assertTrue(metrics.contains("smppgw_smpp_bind_lockouts_total 1.0"), metrics);
        // the lock (30 s, then doubling) ends on its own: BindGuardTest covers the times
    }
}
