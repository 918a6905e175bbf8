package smppgw.it;

import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery receipts and handset messages to integrators over SMPP, read by jSMPP's own parser. */
class SmppReceiptsTest {
    @TempDir
    Path dir;
    private SmscSimulator sim;
    private Gateway gw;
    private int port;
    private final List<SMPPSession> sessions = new ArrayList<>();

    private void start(String simExtra) {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n  outcomes: [{to-suffix: \"99\", stat: UNDELIV}]\n" + simExtra))
                .startUnchecked();
        port = Ports.free();
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:" + Ports.free() + "}\n"
                + "smpp-server: {listen: 127.0.0.1:" + port + "}\n"
                + "clients:\n  - {name: acme, system-id: acme, password: pw, mo-numbers: [\"36111\"]}\n"
                + "operators:\n" + Configs.operator("fr", null, true, smsc, 1, 50);
        config = GatewayConfig.parse("test", yaml, dir);
        gw = Gateway.start(config, Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    private GatewayConfig config;

    @AfterEach
    void stop() throws Exception {
        for (SMPPSession s : sessions) {
            s.unbindAndClose();
        }
        gw.close();
        sim.close();
    }

    /** What a jSMPP client received: receipts by the id they name, and messages from handsets. */
    private static class Inbox implements MessageReceiverListener {
        final Map<String, DeliveryReceipt> receipts = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> mo = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> unparsable = new ConcurrentLinkedQueue<>();

        @Override
        public void onAcceptDeliverSm(DeliverSm d) throws org.jsmpp.extra.ProcessRequestException {
            if (MessageType.SMSC_DEL_RECEIPT.containedIn(d.getEsmClass())) {
                try {
                    DeliveryReceipt r = d.getShortMessageAsDeliveryReceipt();
                    receipts.put(r.getId(), r);
                } catch (Exception e) {
                    unparsable.add(new String(d.getShortMessage(), StandardCharsets.ISO_8859_1));
                }
            } else {
                mo.add(d.getSourceAddr() + ">" + d.getDestAddress() + ":" + new String(d.getShortMessage(), StandardCharsets.ISO_8859_1));
            }
        }

        @Override
        public void onAcceptAlertNotification(AlertNotification a) {
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session s) {
            return null;
        }
    }

    private SMPPSession bind(BindType type, Inbox inbox) throws Exception {
        SMPPSession s = new SMPPSession();
        if (inbox != null) {
            s.setMessageReceiverListener(inbox);
        }
        s.connectAndBind("127.0.0.1", port, new org.jsmpp.session.BindParameter(type, "acme", "pw", "", TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN, null));
        sessions.add(s);
        return s;
    }

    private static String submit(SMPPSession s, String from, String to) throws Exception {
        TypeOfNumber ton = from.chars().allMatch(Character::isDigit) ? TypeOfNumber.NETWORK_SPECIFIC : TypeOfNumber.ALPHANUMERIC;
        return s.submitShortMessage("", ton, NumberingPlanIndicator.UNKNOWN, from, TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN,
                to, new ESMClass(), (byte) 0, (byte) 1, null, null, new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0,
                DataCodings.ZERO, (byte) 0, "Bonjour".getBytes(StandardCharsets.ISO_8859_1)).getMessageId();
    }

    @Test
    void aThousandSubmitsGetAThousandReceiptsThatJsmppParsesAndAnMoArrives() throws Exception {
        start("  mo-reply: OUI\n");
        Inbox inbox = new Inbox();
        SMPPSession s = bind(BindType.BIND_TRX, inbox);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(submit(s, "ACME", "336" + String.format("%08d", i)));
        }
        String fromShortCode = submit(s, "36111", "33612340000"); // the handset's reply to 36111 is routed to acme
        Await.until(Duration.ofSeconds(60), () -> inbox.receipts.keySet().containsAll(ids) && !inbox.mo.isEmpty(),
                () -> inbox.receipts.size() + " receipts, " + inbox.mo.size() + " MO, unparsable " + inbox.unparsable);
        assertTrue(inbox.unparsable.isEmpty(), inbox.unparsable::toString);
        long delivered = ids.stream().filter(id -> inbox.receipts.get(id).getFinalStatus() == DeliveryReceiptState.DELIVRD).count();
        assertEquals(990, delivered, "numbers ending 99 are scripted UNDELIV");
        assertEquals(DeliveryReceiptState.UNDELIV, inbox.receipts.get(ids.stream()
                .filter(id -> gw.store().find(id).orElseThrow().message().to().endsWith("99")).findFirst().orElseThrow()).getFinalStatus());
        assertEquals(List.of("33612340000>36111:OUI"), new ArrayList<>(inbox.mo));
        assertTrue(inbox.receipts.containsKey(fromShortCode));
    }

    @Test
    void receiptsWaitUntilTheClientBindsAReceiver() throws Exception {
        start("");
        SMPPSession tx = bind(BindType.BIND_TX, null);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            ids.add(submit(tx, "ACME", "336" + String.format("%08d", i)));
        }
        Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state().isFinal()),
                () -> "not final yet");
        Inbox inbox = new Inbox();
        bind(BindType.BIND_RX, inbox);
        Await.until(Duration.ofSeconds(30), () -> inbox.receipts.keySet().containsAll(ids), () -> inbox.receipts.size() + " receipts");
        assertEquals(10, inbox.receipts.size());
    }

    /** A receipt the integrator refuses for good (ESME_RX_P_APPN) is dropped after that one answer; the others all arrive. */
    @Test
    void aReceiptRefusedForGoodIsNotSentAgainAndTheRestFlow() throws Exception {
        start("");
        java.util.concurrent.atomic.AtomicInteger refusedTimes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> refuse = new java.util.concurrent.atomic.AtomicReference<>();
        Inbox inbox = new Inbox() {
            @Override
            public void onAcceptDeliverSm(DeliverSm d) throws org.jsmpp.extra.ProcessRequestException {
                try {
                    if (MessageType.SMSC_DEL_RECEIPT.containedIn(d.getEsmClass())
                            && d.getShortMessageAsDeliveryReceipt().getId().equals(refuse.get())) {
                        refusedTimes.incrementAndGet();
                        throw new org.jsmpp.extra.ProcessRequestException("not for us", 0x65); // ESME_RX_P_APPN
                    }
                } catch (org.jsmpp.util.InvalidDeliveryReceiptException e) {
                    throw new IllegalStateException(e);
                }
                super.onAcceptDeliverSm(d);
            }
        };
        SMPPSession s = bind(BindType.BIND_TRX, inbox);
        synchronized (refuse) {
            refuse.set(submit(s, "ACME", "33612349000"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 1; i <= 50; i++) {
            ids.add(submit(s, "ACME", "336123490" + String.format("%02d", i)));
        }
        Await.until(Duration.ofSeconds(30), () -> inbox.receipts.keySet().containsAll(ids) && refusedTimes.get() > 0,
                () -> inbox.receipts.size() + " receipts, refused " + refusedTimes.get());
        int received = inbox.receipts.size();

        // a refused receipt that was still pending would come again after a restart, with every receipt after it
        for (SMPPSession old : sessions) {
            old.unbindAndClose();
        }
        sessions.clear();
        gw.close();
        gw = Gateway.start(config, Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        java.util.concurrent.atomic.AtomicInteger again = new java.util.concurrent.atomic.AtomicInteger();
        Inbox after = new Inbox() {
            @Override
            public void onAcceptDeliverSm(DeliverSm d) throws org.jsmpp.extra.ProcessRequestException {
                if (MessageType.SMSC_DEL_RECEIPT.containedIn(d.getEsmClass())) {
                    try {
                        String id = d.getShortMessageAsDeliveryReceipt().getId();
                        if (ids.contains(id) || id.equals(refuse.get())) {
                            again.incrementAndGet();
                        }
                    } catch (org.jsmpp.util.InvalidDeliveryReceiptException e) {
                        throw new IllegalStateException(e);
                    }
                }
                super.onAcceptDeliverSm(d);
            }
        };
        SMPPSession s2 = bind(BindType.BIND_TRX, after);
        String last = submit(s2, "ACME", "33612349099");
        Await.until(Duration.ofSeconds(30), () -> after.receipts.containsKey(last), () -> "no receipt for the last one");
        assertEquals(1, refusedTimes.get(), "refused for good: sent once, not again");
        assertEquals(0, again.get(), "nothing from before the restart came again");
        assertEquals(50, received, "the 50 others arrived, the refused one not");
    }
}
