package smppgw.sim;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.tlv.Tlv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import smppgw.config.SimulatorConfig;
import smppgw.smpp.Responses;

/** The simulator's side of one bind: answers submits, follows up deliver_sm acknowledgements. */
final class SimSession extends DefaultSmppSessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SimSession.class);
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LONG = DateTimeFormatter.ofPattern("yyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final SmscSimulator sim;
    private final SmppServerSession session;

    SimSession(SmscSimulator sim, SmppServerSession session) {
        super(LOG);
        this.sim = sim;
        this.session = session;
    }

    /**
     * Answers without blocking: a response returned from here is written by cloudhopper on the I/O thread
     * with a wait for the write, which fails (and loses the response) when the socket is momentarily full.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public PduResponse firePduRequestReceived(PduRequest req) {
        PduResponse resp = req instanceof SubmitSm sm ? submit(sm) : req.createResponse();
        if (resp != null) {
            Responses.send(session, resp);
        }
        return null;
    }

    private SubmitSmResp submit(SubmitSm sm) {
        SubmitSmResp resp = sm.createResponse();
        long now = System.currentTimeMillis();
        SimulatorConfig c = sim.config;
        if (!sim.throttle.tryAcquire(now)) {
            sim.stats.throttled.incrementAndGet();
            sim.stats.throttledAt(now);
            resp.setCommandStatus(SmppConstants.STATUS_THROTTLED);
            return resp;
        }
        String dest = sm.getDestAddress().getAddress();
        SimulatorConfig.Outcome outcome = c.outcomeFor(dest);
        if (outcome != null && outcome.noResponse()) {
            sim.stats.unanswered.incrementAndGet();
            return null; // the gateway's request expiry has to deal with it
        }
        if (outcome != null && outcome.submitStatus() != 0) {
            sim.stats.submitsRejected.incrementAndGet();
            resp.setCommandStatus(outcome.submitStatus());
            return resp;
        }
        sim.stats.submits.incrementAndGet();
        sim.stats.acceptedAt(now);
        String id = sim.nextId();
        resp.setMessageId(SmscSimulator.format(id, c.idFormat()));
        String systemId = session.getConfiguration().getSystemId();
        String sender = sm.getSourceAddress().getAddress();
        if ((sm.getRegisteredDelivery() & 0x01) != 0) {
            String stat = outcome != null ? outcome.stat() : c.mixedStat(java.util.concurrent.ThreadLocalRandom.current().nextDouble(100));
            String err = outcome != null ? outcome.err() : stat.equals("DELIVRD") ? "000" : "001";
            String receiptId = SmscSimulator.format(id, c.receiptIdFormat());
            String date = (c.longDates() ? LONG : SHORT).format(Instant.ofEpochMilli(now));
            String body = "id:" + receiptId + " sub:001 dlvrd:" + (stat.equals("DELIVRD") ? "001" : "000")
                    + " submit date:" + date + " done date:" + date + " stat:" + stat + " err:" + err
                    + " text:" + snippet(sm);
            long jitter = c.receiptJitter().toMillis() > 0
                    ? java.util.concurrent.ThreadLocalRandom.current().nextLong(c.receiptJitter().toMillis() + 1) : 0;
            sim.outbound.add(Outbound.receipt(systemId, dest, sender, body, receiptId, messageState(stat),
                    now + c.receiptDelay().toMillis() + jitter));
        }
        String reply = outcome != null && outcome.moReply() != null ? outcome.moReply() : c.moReply();
        if (reply != null) {
            sim.outbound.add(Outbound.mo(systemId, dest, sender, reply, now + c.receiptDelay().toMillis() + 1));
        }
        return resp;
    }

    private static String snippet(SubmitSm sm) {
        byte[] b = sm.getShortMessage();
        if (b == null || b.length == 0) {
            Tlv p = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            b = p == null ? new byte[0] : p.getValue();
        }
        String t = sm.getDataCoding() == 0x08 ? new String(b, java.nio.charset.StandardCharsets.UTF_16BE) : smppgw.text.Gsm7.decode(b);
        t = t.replaceAll("[^\\x20-\\x7E]", "?");
        return t.length() > 20 ? t.substring(0, 20) : t;
    }

    static int messageState(String stat) {
        return switch (stat) {
            case "ENROUTE" -> 1;
            case "DELIVRD" -> 2;
            case "EXPIRED" -> 3;
            case "DELETED" -> 4;
            case "UNDELIV" -> 5;
            case "ACCEPTD" -> 6;
            case "REJECTD" -> 8;
            default -> 7;
        };
    }

    @Override
    public void fireExpectedPduResponseReceived(PduAsyncResponse r) {
        if (r.getRequest().getReferenceObject() instanceof Outbound o) {
            if (r.getResponse().getCommandStatus() == 0) {
                (o.receipt ? sim.stats.receiptsAcked : sim.stats.moAcked).incrementAndGet();
            } else {
                sim.stats.receiptsRefused.incrementAndGet();
                sim.outbound.add(o.retryAt(System.currentTimeMillis() + 500));
            }
        }
    }

    @Override
    public void fireUnknownThrowable(Throwable t) {
        if (!(t instanceof java.io.IOException)) {
            LOG.warn("simulator session error", t);
        }
    }

    @Override
    public void firePduRequestExpired(PduRequest req) {
        if (req.getReferenceObject() instanceof Outbound o) {
            sim.outbound.add(o.retryAt(System.currentTimeMillis() + 500));
        }
    }

    /** A receipt or MO in flight on a bind that closed was never acknowledged: owe it again. */
    static void requeueInFlight(SmscSimulator sim, SmppServerSession session) {
        java.util.List<WindowFuture<Integer, PduRequest, PduResponse>> pending = session.getSendWindow().cancelAll();
        if (pending == null) {
            return;
        }
        for (WindowFuture<Integer, PduRequest, PduResponse> f : pending) {
            if (f.getRequest().getReferenceObject() instanceof Outbound o) {
                sim.outbound.add(o.retryAt(System.currentTimeMillis() + 100));
            }
        }
    }
}
