package smppgw.it;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiver;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.Address;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.Ids;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Ports;
import smppgw.testing.RawSmpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integrators binding to the gateway's SMPP port: jSMPP as the client nobody here wrote, and raw PDUs. */
class SmppServerTest {
    @TempDir
    static Path dir;
    static SmscSimulator sim;
    static Gateway gw;
    static int port;

    @BeforeAll
    static void start() {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        port = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + Ports.free() + "}\n"
                + "default-country-code: \"33\"\n"
                + "smpp-server: {listen: 127.0.0.1:" + port + ", idle-timeout: 2s}\n"
                + "clients:\n"
                + "  - {name: acme, system-id: acme, password: pw}\n"
                + "  - {name: slow, system-id: slow, password: pw, tps: 1}\n"
                + "  - {name: rxonly, system-id: rxonly, password: pw, bind-types: [receiver]}\n"
                + "  - {name: promo, system-id: promo, password: pw, class: promotional}\n"
                + "operators:\n" + Configs.operator("fr", "+33", false, smsc, 1, 50);
        gw = Gateway.start(GatewayConfig.parse("test", yaml, dir), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        sim.close();
    }

    private static SMPPSession bind(String systemId, BindType type) throws Exception {
        SMPPSession s = new SMPPSession();
        s.setMessageReceiverListener(new org.jsmpp.session.MessageReceiverListener() { // accepts the receipts it is sent
            @Override
            public void onAcceptDeliverSm(org.jsmpp.bean.DeliverSm d) {
            }

            @Override
            public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification a) {
            }

            @Override
            public org.jsmpp.session.DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm d, org.jsmpp.session.Session session) {
                return null;
            }
        });
        s.connectAndBind("127.0.0.1", port, new BindParameter(type, systemId, "pw", "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null));
        return s;
    }

    private static String submit(SMPPSession s, String to, String text) throws Exception {
        return s.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "ACME", TypeOfNumber.INTERNATIONAL,
                NumberingPlanIndicator.ISDN, to, new ESMClass(), (byte) 0, (byte) 1, null, null,
                new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.ZERO, (byte) 0,
                text.getBytes(StandardCharsets.ISO_8859_1)).getMessageId();
    }

    @Test
    void aJsmppClientSubmitsAThousandMessagesThatAllEndDelivered() throws Exception {
        SMPPSession s = bind("acme", BindType.BIND_TRX);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                ids.add(submit(s, "336" + String.format("%08d", i), "Hello " + i));
            }
        } finally {
            s.unbindAndClose();
        }
        assertTrue(ids.stream().allMatch(Ids::looksLikeId), "submit_sm_resp carries the gateway's message id");
        Await.until(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> ids.stream().filter(id -> gw.store().find(id).orElseThrow().state() != MessageState.DELIVERED).count() + " not delivered");
        var m = gw.store().find(ids.get(7)).orElseThrow().message();
        assertEquals("acme", m.client());
        assertEquals("+33600000007", m.to());
        assertEquals("Hello 7", m.text());
        assertEquals(1, m.receipt(), "registered_delivery 1: a receipt for success or failure");
    }

    @Test
    void bindsWithWrongCredentialsOrTypeAreRefusedWithTheirStatus() {
        assertEquals(SmppConstants.STATUS_INVPASWD, bindStatus("acme", "wrong", BindType.BIND_TRX));
        assertEquals(SmppConstants.STATUS_INVSYSID, bindStatus("nobody", "pw", BindType.BIND_TRX));
        assertEquals(SmppConstants.STATUS_BINDFAIL, bindStatus("rxonly", "pw", BindType.BIND_TX));
    }

    @Test
    void anIdleBindIsUnboundAndClosed() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("slow");
            bind.setPassword("pw");
            bind.setSequenceNumber(1);
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_OK, raw.read().getCommandStatus());
            // nothing more is sent: after idle-timeout (2 s) the server asks to unbind, then closes
            assertEquals(SmppConstants.CMD_ID_UNBIND, raw.read().getCommandId());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void aRefusedBindIsClosedByTheServer() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("acme");
            bind.setPassword("wrong");
            bind.setSequenceNumber(1);
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_INVPASWD, raw.read().getCommandStatus());
            assertTrue(raw.closedByServer(), "the connection is closed after a refused bind");
        }
    }

    private static int bindStatus(String systemId, String password, BindType type) {
        SMPPSession s = new SMPPSession();
        Exception e = assertThrows(Exception.class, () -> s.connectAndBind("127.0.0.1", port,
                new BindParameter(type, systemId, password, "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null)));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NegativeResponseException n) {
                return n.getCommandStatus();
            }
        }
        throw new AssertionError("no negative bind response", e);
    }

    @Test
    void aClientWhoseClassIsPromotionalHasItsSubmitsCappedAndTheThirdRefusedForGood() throws Exception {
        SMPPSession promo = bind("promo", BindType.BIND_TRX);
        SMPPSession acme = bind("acme", BindType.BIND_TRX);
        try {
            String first = submit(promo, "33699990001", "Soldes -50%");
            submit(promo, "33699990001", "Soldes -60%");
            org.jsmpp.extra.NegativeResponseException third = assertThrows(org.jsmpp.extra.NegativeResponseException.class,
                    () -> submit(promo, "33699990001", "Soldes -70%"));
            assertEquals(SmppConstants.STATUS_SUBMITFAIL, third.getCommandStatus(), "the default cap, 2 per 7 days; not THROTTLED: retrying will not help");
            assertEquals("promotional", gw.store().find(first).orElseThrow().message().messageClass());
            for (int i = 0; i < 3; i++) {
                String id = submit(acme, "33699990001", "Votre code " + i);
                assertEquals(null, gw.store().find(id).orElseThrow().message().messageClass(), "transactional, uncapped");
            }
        } finally {
            promo.unbindAndClose();
            acme.unbindAndClose();
        }
    }

    @Test
    void submitBeforeBindMalformedPdusAndRefusalsGetTheirStatusAndTheSessionSurvives() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            raw.send(submitSm("+33612345678", 7));
            Pdu r = raw.read();
            assertEquals(SmppConstants.CMD_ID_SUBMIT_SM_RESP, r.getCommandId());
            assertEquals(SmppConstants.STATUS_INVBNDSTS, r.getCommandStatus());
            assertEquals(7, r.getSequenceNumber());

            // an unknown command id, properly framed: generic_nack, the connection stays
            raw.sendRaw(new byte[] {0, 0, 0, 16, 0, 0, 0, (byte) 0x99, 0, 0, 0, 0, 0, 0, 0, 8});
            Pdu nack = raw.read();
            assertInstanceOf(GenericNack.class, nack);
            EnquireLink el = new EnquireLink();
            el.setSequenceNumber(9);
            raw.send(el);
            assertEquals(SmppConstants.CMD_ID_ENQUIRE_LINK_RESP, raw.read().getCommandId(), "session still answers");

            BindTransceiver bind = new BindTransceiver();
            bind.setSystemId("slow");
            bind.setPassword("pw");
            bind.setSequenceNumber(10);
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_OK, raw.read().getCommandStatus());

            raw.send(submitSm("12", 11)); // not a number anyone can reach
            assertEquals(SmppConstants.STATUS_INVDSTADR, raw.read().getCommandStatus());
            raw.send(submitSm("+442079460000", 12)); // no operator for +44
            assertEquals(SmppConstants.STATUS_INVDSTADR, raw.read().getCommandStatus());
            raw.send(submitSm("+33612345678", 13));
            Pdu ok = raw.read();
            assertEquals(SmppConstants.STATUS_OK, ok.getCommandStatus());
            raw.send(submitSm("+33612345679", 14)); // tps 1: one token, just spent
            assertEquals(SmppConstants.STATUS_THROTTLED, raw.read().getCommandStatus());
            raw.send(bind);
            assertEquals(SmppConstants.STATUS_ALYBND, raw.read().getCommandStatus());
        }
        assertTrue(gw.smppServer().counters().malformed.get() >= 1);
    }

    @Test
    void aConcatenatedSubmitIsStoredAsOneMessageAndEveryPartAnsweredWithItsId() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            bindAcme(raw);
            String[] texts = {"a".repeat(153), "the end"};
            for (int seq : new int[] {2, 1}) { // out of order
                raw.send(part("+33612345600", 10 + seq, 0x11, seq, texts));
            }
            Pdu r1 = raw.readAnswer();
            Pdu r2 = raw.readAnswer();
            assertEquals(SmppConstants.STATUS_OK, r1.getCommandStatus());
            assertEquals(SmppConstants.STATUS_OK, r2.getCommandStatus());
            String id = ((com.cloudhopper.smpp.pdu.SubmitSmResp) r1).getMessageId();
            assertEquals(id, ((com.cloudhopper.smpp.pdu.SubmitSmResp) r2).getMessageId(), "both parts answered with the message's id");
            assertEquals(texts[0] + texts[1], gw.store().find(id).orElseThrow().message().text());
        }
    }

    @Test
    void aBodyThatContradictsItsFrameIsAnsweredAndTheSessionGoesOn() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            bindAcme(raw);
            byte[] bad = encode(submitSm("+33612345601", 5)); // "hello": sm_length 5, then 5 bytes
            bad[bad.length - 6] = (byte) 255; // sm_length 255 with 5 bytes following, command_length still right
            raw.sendRaw(bad);
            Pdu r = raw.readAnswer();
            assertInstanceOf(com.cloudhopper.smpp.pdu.GenericNack.class, r);
            assertEquals(5, r.getSequenceNumber());
            assertEquals(SmppConstants.STATUS_INVMSGLEN, r.getCommandStatus());
            raw.send(submitSm("+33612345601", 6)); // the session goes on
            Pdu ok = raw.readAnswer();
            assertEquals(6, ok.getSequenceNumber());
            assertEquals(SmppConstants.STATUS_OK, ok.getCommandStatus());
        }
    }

    @Test
    void aConcatenationPartSentTwiceIsAnsweredWithTheSameIdAndStoredOnce() throws Exception {
        try (RawSmpp raw = new RawSmpp(port)) {
            bindAcme(raw);
            String[] texts = {"b".repeat(153), "fin"};
            int[] order = {1, 1, 2}; // part 1 again before part 2 (the integrator gave up waiting for its answer)
            for (int k = 0; k < order.length; k++) {
                raw.send(part("+33612345602", 20 + k, 0x12, order[k], texts));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            java.util.Set<Integer> answered = new java.util.HashSet<>();
            for (int k = 0; k < 3; k++) {
                Pdu r = raw.readAnswer();
                assertEquals(SmppConstants.STATUS_OK, r.getCommandStatus());
                answered.add(r.getSequenceNumber());
                ids.add(((com.cloudhopper.smpp.pdu.SubmitSmResp) r).getMessageId());
            }
            assertEquals(java.util.Set.of(20, 21, 22), answered, "every submit_sm answered, the repeat too");
            assertEquals(1, ids.size(), "one message: " + ids);
            assertEquals(texts[0] + texts[1], gw.store().find(ids.iterator().next()).orElseThrow().message().text());
        }
    }

    /** Part {@code seq} of {@code texts.length}, UDH with the 8-bit reference {@code ref}; GSM 03.38 unpacked (ASCII letters are the same). */
    private static SubmitSm part(String to, int sequence, int ref, int seq, String[] texts) throws Exception {
        SubmitSm sm = submitSm(to, sequence);
        byte[] udh = {0x05, 0x00, 0x03, (byte) ref, (byte) texts.length, (byte) seq};
        byte[] body = texts[seq - 1].getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[udh.length + body.length];
        System.arraycopy(udh, 0, all, 0, udh.length);
        System.arraycopy(body, 0, all, udh.length, body.length);
        sm.setEsmClass((byte) 0x40);
        sm.setShortMessage(all);
        return sm;
    }

    private static void bindAcme(RawSmpp raw) throws Exception {
        assertEquals(SmppConstants.STATUS_OK, raw.bind("acme", "pw"));
    }

    private static byte[] encode(Pdu pdu) throws Exception {
        io.netty.buffer.ByteBuf b = new com.cloudhopper.smpp.transcoder.DefaultPduTranscoder(
                new com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext()).encode(pdu);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static SubmitSm submitSm(String to, int seq) throws Exception {
        SubmitSm sm = new SubmitSm();
        sm.setSequenceNumber(seq);
        sm.setSourceAddress(new Address((byte) 5, (byte) 0, "ACME"));
        sm.setDestAddress(to.startsWith("+") ? new Address((byte) 1, (byte) 1, to.substring(1)) : new Address((byte) 0, (byte) 1, to));
        sm.setShortMessage("hello".getBytes(StandardCharsets.ISO_8859_1));
        return sm;
    }
}
