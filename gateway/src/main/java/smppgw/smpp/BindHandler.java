package smppgw.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bind does with what its SMSC sends: receipts and handset messages into the store (answered once stored),
 * responses to its submits (on time or late), expiries (outcome unknown: the bind is suspect until heard from), an
 * enquire_link unanswered (the connection is dead), the connection lost.
 */
final class BindHandler extends DefaultSmppSessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BindSession.class);
    private final BindSession b;

    BindHandler(BindSession b) {
        super(LOG);
        this.b = b;
    }

    private SmppSession current() {
        return b.session;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public PduResponse firePduRequestReceived(PduRequest req) {
        b.heard();
        if (req instanceof DeliverSm || req instanceof DataSm) {
            SmppSession s = current();
            BaseSm<?> sm = (BaseSm<?>) req;
            PduResponse resp = req.createResponse();
            Inbound.handle(b.operator, b.name, sm, b.inbound).whenComplete((ok, err) -> {
                if (err != null) {
                    resp.setCommandStatus(SmppConstants.STATUS_X_T_APPN);
                }
                Responses.send(s, resp);
            });
            return null;
        }
        SmppSession s = current();
        Responses.send(s, req.createResponse()); // never returned: cloudhopper would block the I/O thread on the write
        if (req instanceof Unbind) {
            b.scheduler.execute(() -> b.closed(s, CloseReason.UNBIND_RECEIVED));
        }
        return null;
    }

    @Override
    public void fireExpectedPduResponseReceived(PduAsyncResponse r) {
        b.heard();
        PduRequest<?> req = r.getRequest();
        if (req.getReferenceObject() instanceof Once cb) {
            PduResponse resp = r.getResponse();
            String id = resp instanceof SubmitSmResp ssr ? ssr.getMessageId() : null;
            cb.onResponse(resp.getCommandStatus(), id, b.name);
            b.onCapacity.run();
        } else if (req.getReferenceObject() instanceof QueryAnswer qa) {
            qa.answered(r.getResponse() instanceof com.cloudhopper.smpp.pdu.QuerySmResp q ? q : null, b.name);
            b.onCapacity.run();
        }
    }

    /** The answer to a request that had expired: for a submit, what really happened to it. */
    @Override
    public void fireUnexpectedPduResponseReceived(PduResponse resp) {
        BindSession.Expired e = b.expired.remove(resp.getSequenceNumber());
        b.heard();
        if (e != null && resp instanceof SubmitSmResp ssr) {
            e.callback().late(resp.getCommandStatus(), ssr.getMessageId(), b.name);
        } else {
            LOG.debug("[op:{}] [bind:{}] unexpected {} (sequence {})", b.operator, b.name, resp.getName(), resp.getSequenceNumber());
        }
        b.onCapacity.run();
    }

    /**
     * A submit unanswered in time: its outcome is unknown (it is kept for a late answer) and the bind is suspect
     * until the SMSC is heard from; an enquire_link asks at once. An enquire_link unanswered with nothing else
     * heard since it went: the connection is dead.
     */
    @Override
    public void firePduRequestExpired(PduRequest req) {
        SmppSession s = current();
        if (req instanceof EnquireLink) {
            if (s != null && b.lastReceived < b.enquireSentAt) {
                b.scheduler.execute(() -> b.closed(s, CloseReason.ENQUIRE_LINK_TIMEOUT));
            }
        } else if (req.getReferenceObject() instanceof Once cb) {
            long now = BindSession.now();
            if (s != null) {
                b.expired.put(req.getSequenceNumber(), new BindSession.Expired(cb, now));
                if (b.suspectSince == 0) {
                    b.suspectSince = now;
                }
                b.scheduler.execute(() -> b.enquire(s));
            }
            cb.onNoResponse("no response within " + b.config.responseTimeout().toMillis() + " ms", b.name);
            b.onCapacity.run();
        }
    }

    @Override
    public void fireChannelUnexpectedlyClosed() {
        SmppSession s = current();
        if (s != null) {
            b.scheduler.execute(() -> b.closed(s, CloseReason.IO_ERROR));
        }
    }

    @Override
    public void fireUnrecoverablePduException(com.cloudhopper.smpp.type.UnrecoverablePduException e) {
        LOG.warn("[op:{}] [bind:{}] undecodable PDU, closing: {}", b.operator, b.name, e.getMessage());
        SmppSession s = current();
        if (s != null) {
            b.scheduler.execute(() -> b.closed(s, CloseReason.PROTOCOL_ERROR));
        }
    }

    @Override
    public void fireUnknownThrowable(Throwable t) {
        if (t instanceof java.io.IOException) {
            LOG.debug("[op:{}] [bind:{}] I/O: {}", b.operator, b.name, t.toString());
        } else {
            LOG.warn("[op:{}] [bind:{}] unexpected error", b.operator, b.name, t);
        }
    }

    @Override
    public void fireRecoverablePduException(com.cloudhopper.smpp.type.RecoverablePduException e) {
        LOG.warn("[op:{}] [bind:{}] malformed PDU: {}", b.operator, b.name, e.getMessage());
    }
}
