package smppgw.it;

import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.daemon.Gateway;
import smppgw.store.Inbound;
import smppgw.store.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interop with an SMSC nobody here wrote: a jSMPP server answers submits with hex ids and sends its own
 * receipts (jSMPP's DeliveryReceipt format) and one message from a handset.
 */
class JsmppSmscInteropTest {
    @TempDir
    Path dir;
    private SMPPServerSessionListener listener;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<SMPPServerSession> sessions = new ArrayList<>();
    private final ConcurrentLinkedQueue<SubmitSm> submits = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextId = new AtomicLong(0x39f99dd5L);
    private volatile boolean running = true;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        running = false;
        if (gateway != null) {
            gateway.close();
        }
        for (SMPPServerSession s : sessions) {
            s.unbindAndClose();
        }
        listener.close();
        threads.shutdownNow();
    }

    @Test
    void messagesSubmittedToAJsmppSmscEndDeliveredFromItsReceipts() throws Exception {
        int smscPort = Ports.free();
        listener = new SMPPServerSessionListener(smscPort);
        listener.setMessageReceiverListener(new Smsc());
        threads.execute(this::acceptLoop);

        int httpPort = Ports.free();
        gateway = Gateway.start(Configs.gateway(dir, httpPort, Configs.operator("jsmpp", null, true, smscPort, 1, 20)), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gateway.health().ok(), () -> gateway.health().detail().toString());

        Http http = new Http(httpPort);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+4479460000" + String.format("%02d", i)
                    + "\",\"from\":\"+33612345678\",\"text\":\"Grüße " + i + " ✓\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> state(id) == MessageState.DELIVERED),
                () -> ids.stream().filter(id -> state(id) != MessageState.DELIVERED).count() + " not delivered");

        // What jSMPP received: international addresses, UCS-2 for the non-GSM text, receipts requested.
        SubmitSm first = submits.stream().filter(s -> s.getDestAddress().equals("447946000000")).findFirst().orElseThrow();
        assertEquals(TypeOfNumber.INTERNATIONAL.value(), first.getDestAddrTon());
        assertEquals(TypeOfNumber.INTERNATIONAL.value(), first.getSourceAddrTon());
        assertEquals("33612345678", first.getSourceAddr());
        assertEquals(8, first.getDataCoding());
        assertEquals("Grüße 0 ✓", new String(first.getShortMessage(), StandardCharsets.UTF_16BE));
        assertEquals(1, first.getRegisteredDelivery() & 1);

        // A handset writes back: the gateway records it as an inbound message.
        sessions.get(0).deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "447946000007",
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "33612345678", new ESMClass(), (byte) 0, (byte) 0,
                new RegisteredDelivery(0), DataCodings.ZERO, "OUI merci".getBytes(StandardCharsets.ISO_8859_1));
        Await.until(Duration.ofSeconds(10), () -> !gateway.store().recentInbound(1).isEmpty(), () -> "no inbound message");
        Inbound mo = gateway.store().recentInbound(1).get(0);
        assertEquals("+447946000007", mo.from());
        assertEquals("+33612345678", mo.to());
        assertEquals("OUI merci", mo.text());
        assertEquals("jsmpp", mo.operator());
    }

    private MessageState state(String id) {
        return gateway.store().find(id).map(v -> v.state()).orElse(null);
    }

    private void acceptLoop() {
        while (running) {
            try {
                SMPPServerSession s = listener.accept();
                BindRequest bind = s.waitForBind(5000);
                if (bind.getSystemId().equals("gw") && bind.getPassword().equals("pw")) {
                    bind.accept("jsmpp-smsc");
                    sessions.add(s);
                } else {
                    bind.reject(0x0E);
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    private final class Smsc implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
            submits.add(sm);
            String id = Long.toHexString(nextId.incrementAndGet()).toUpperCase();
            threads.execute(() -> sendReceipt(session, sm, id));
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (Exception e) {
                throw new ProcessRequestException(e.getMessage(), 0x08);
            }
        }

        private void sendReceipt(SMPPServerSession session, SubmitSm sm, String hexId) {
            // jSMPP writes the receipt id in decimal, as many real SMSCs do
            DeliveryReceipt r = new DeliveryReceipt(String.format("%010d", Long.parseLong(hexId, 16)), 1, 1, new Date(), new Date(),
                    DeliveryReceiptState.DELIVRD, "000", "hello");
            try {
                session.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, sm.getDestAddress(),
                        TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, sm.getSourceAddr(),
                        new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT), (byte) 0,
                        (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO, r.toString().getBytes(StandardCharsets.ISO_8859_1));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti m, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(org.jsmpp.bean.BroadcastSm b, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session s) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }
    }
}
