package smppgw.it;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.Address;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.GatewayExtension;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.MutableClock;
import smppgw.testing.Ports;
import smppgw.testing.RawSmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validity reaches the carrier (validity_period, relative, what is left of it); integrators' validity_period and
 * schedule_delivery_time over SMPP are honoured, or refused with their own status; a message whose validity passes
 * while no bind is up ends EXPIRED then, not when a bind returns.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ValidityTest {
    private static final long START = 1_800_000_000_000L;

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private JsmppSmsc smsc;
    private Gateway gw;

    private GatewayConfig config(int smscPort, int smpp) {
        return env.config("smpp-server: {listen: 127.0.0.1:" + smpp + "}\n"
                + "clients:\n  - {name: acme, api-key: acme-key-0123456789, system-id: acme, password: pw}\n",
                "  - name: op\n    default: true\n"
                + "    binds: [{host: 127.0.0.1, port: " + smscPort + ", system-id: gw, password: pw, reconnect-min: 50ms, reconnect-max: 200ms}]\n");
    }

    @Test
    void theCarrierGetsWhatIsLeftOfTheValidityAndIntegratorsTimesAreHonoured() throws Exception {
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 10));
        int smpp = Ports.free();
        MutableClock clock = new MutableClock(START);
        gw = env.start(config(env.smscPort(), smpp), clock);
        Http api = env.http().withKey("acme-key-0123456789");
        String id = api.post("/v1/messages", "{\"to\":\"+447946000001\",\"from\":\"ACME\",\"text\":\"v\",\"validity\":\"2h\"}")
                .body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> !smsc.submits.isEmpty(), () -> "nothing reached the SMSC");
        assertEquals("000000020000000R", smsc.submits.peek().getValidityPeriod(), "2 h left, relative");

        try (RawSmpp raw = new RawSmpp(smpp)) {
            assertEquals(SmppConstants.STATUS_OK, raw.bind("acme", "pw"));
            SubmitSmResp ok = (SubmitSmResp) submit(raw, 2, "000000013000000R", ""); // 90 minutes
            assertEquals(SmppConstants.STATUS_OK, ok.getCommandStatus());
            MessageView v = gw.store().find(ok.getMessageId()).orElseThrow();
            assertEquals(START + 90 * 60_000, v.message().expiresAt());
            SubmitSmResp later = (SubmitSmResp) submit(raw, 3, "", "000000010000000R"); // an hour from now
            assertEquals(SmppConstants.STATUS_OK, later.getCommandStatus());
            MessageView s = gw.store().find(later.getMessageId()).orElseThrow();
            assertEquals(MessageState.SCHEDULED, s.state());
            assertEquals(START + 3_600_000, s.message().sendAt());
            assertEquals(SmppConstants.STATUS_INVEXPIRY, submit(raw, 4, "000000000030000R", "").getCommandStatus(), "30 s: too short");
            assertEquals(SmppConstants.STATUS_INVEXPIRY, submit(raw, 5, "26X201120000000+", "").getCommandStatus(), "not a time");
            assertEquals(SmppConstants.STATUS_INVSCHED, submit(raw, 6, "", "000200000000000R").getCommandStatus(), "2 months ahead");
        }
        assertNotNull(id);
    }

    @Test
    void aMessageExpiresAtItsTimeWhileNoBindIsUp() throws Exception {
        MutableClock clock = new MutableClock(START); // no SMSC on env.smscPort(): the bind never comes up
        gw = env.launch(config(env.smscPort(), Ports.free()), clock);
        Http api = env.http().withKey("acme-key-0123456789");
        String id = api.post("/v1/messages", "{\"to\":\"+447946000002\",\"from\":\"ACME\",\"text\":\"v\",\"validity\":\"10m\"}")
                .body().get("id").asText();
        clock.advance(Duration.ofMinutes(9));
        assertEquals(MessageState.ACCEPTED, gw.store().find(id).orElseThrow().state(), "not yet");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.EXPIRED,
                () -> gw.store().find(id).orElseThrow().events().toString());
        long at = gw.store().find(id).orElseThrow().events().get(1).at();
        assertTrue(at >= START + 600_000, "EXPIRED when the validity passed: " + (at - START));
    }

    private static Pdu submit(RawSmpp raw, int seq, String validity, String schedule) throws Exception {
        SubmitSm sm = new SubmitSm();
        sm.setSequenceNumber(seq);
        sm.setSourceAddress(new Address((byte) 5, (byte) 0, "ACME"));
        sm.setDestAddress(new Address((byte) 1, (byte) 1, "44794600001" + seq));
        sm.setShortMessage("x".getBytes(StandardCharsets.ISO_8859_1));
        sm.setValidityPeriod(validity);
        sm.setScheduleDeliveryTime(schedule);
        raw.send(sm);
        return raw.readAnswer();
    }
}
