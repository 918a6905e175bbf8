package smppgw.api.smpp;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.BindReceiver;
import com.cloudhopper.smpp.pdu.BindTransmitter;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.pdu.Unbind;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import smppgw.config.ClientConfig;
import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.protocol.Concats;
import smppgw.store.StoreUnavailableException;

/**
 * One integrator connection: bind (credentials, bind type, bind count), then submit_sm through the same
 * intake as HTTP, answered only once stored. Before a bind only bind and enquire_link are accepted
 * (anything else: ESME_RINVBNDSTS); a malformed PDU gets generic_nack and the session carries on.
 */
final class ServerSession extends SimpleChannelInboundHandler<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);

    private final SmppServer server;
    private ChannelHandlerContext ctx;
    private ClientConfig client;
    private SmppBindType type;
    private ScheduledFuture<?> bindTimeout;

    ServerSession(SmppServer server) {
        this.server = server;
    }

    ClientConfig client() {
        return client;
    }

    boolean canReceive() {
        return type == SmppBindType.RECEIVER || type == SmppBindType.TRANSCEIVER;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        bindTimeout = ctx.executor().schedule(() -> {
            if (client == null) {
                LOG.info("[smpp-server] no bind from {} within {} ms, closing", ctx.channel().remoteAddress(), server.bindTimeoutMs());
                ctx.close();
            }
        }, server.bindTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (bindTimeout != null) {
            bindTimeout.cancel(false);
        }
        server.unregister(this);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PduDecoder.Malformed m) {
            server.counters().malformed.incrementAndGet();
            LOG.warn("[smpp-server] [client:{}] malformed PDU: {}", client == null ? "-" : client.name(), m.reason());
            GenericNack nack = new GenericNack();
            nack.setSequenceNumber(m.sequence());
            nack.setCommandStatus(m.recoverable() ? SmppConstants.STATUS_INVMSGLEN : SmppConstants.STATUS_INVCMDLEN);
            if (m.recoverable()) {
                send(nack);
            } else {
                send(nack).addListener(ChannelFutureListener.CLOSE); // out of step: nothing after this can be read
            }
            return;
        }
        if (msg instanceof PduResponse r) {
            server.onResponse(this, r);
            return;
        }
        PduRequest<?> req = (PduRequest<?>) msg;
        if (refused) {
            return; // its bind was refused: the connection is closing
        }
        if (req instanceof EnquireLink) {
            send(req.createResponse());
        } else if (req instanceof BaseBind<?> bind) {
            bind(bind);
        } else if (req instanceof Unbind) {
            send(req.createResponse());
            closeSoon();
        } else if (client == null) {
            reply(req, SmppConstants.STATUS_INVBNDSTS);
        } else if (req instanceof SubmitSm sm) {
            if (type == SmppBindType.RECEIVER) {
                reply(req, SmppConstants.STATUS_INVBNDSTS);
            } else {
                submit(sm);
            }
        } else {
            reply(req, SmppConstants.STATUS_INVCMDID); // query_sm, replace_sm, cancel_sm, submit_multi, data_sm: not offered
        }
    }

    private void bind(BaseBind<?> bind) {
        @SuppressWarnings("unchecked")
        BaseBindResp resp = (BaseBindResp) ((PduRequest<PduResponse>) (PduRequest<?>) bind).createResponse();
        resp.setSystemId("smppgw");
        if (client != null) {
            resp.setCommandStatus(SmppConstants.STATUS_ALYBND);
            send(resp);
            return;
        }
        SmppBindType t = bind instanceof BindTransmitter ? SmppBindType.TRANSMITTER
                : bind instanceof BindReceiver ? SmppBindType.RECEIVER : SmppBindType.TRANSCEIVER;
        java.net.SocketAddress peer = ctx.channel().remoteAddress();
        String address = peer instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(peer);
        int status = server.authorize(this, bind.getSystemId(), bind.getPassword(), t, address);
        resp.setCommandStatus(status);
        if (status != SmppConstants.STATUS_OK) {
            server.counters().bindsRefused.incrementAndGet();
            LOG.warn("[smpp-server] bind as {} from {} refused: {}", bind.getSystemId(), peer, smppgw.protocol.CommandStatus.describe(status));
            refused = true; // one guess per connection: nothing more on it is answered
            send(resp);
            closeSoon(); // not at once: some clients (jSMPP) lose a response whose connection closes right behind it
            return;
        }
        client = server.clients().bySystemId(bind.getSystemId()).orElseThrow();
        type = t;
        bindTimeout.cancel(false);
        send(resp);
        LOG.info("[smpp-server] [client:{}] bound as {} from {}", client.name(), t, ctx.channel().remoteAddress());
        server.onBound(this);
    }

    private void submit(SubmitSm sm) {
        smppgw.protocol.Concat c = Concats.of(sm);
        if (c != null && c.parts() > 1 && c.seq() >= 1 && c.seq() <= c.parts()) {
            String text;
            try {
                text = SubmitSmReader.text(sm);
            } catch (InvalidRequestException e) {
                refuse(List.of(new ConcatAssembler.Held(this, sm, "")), e);
                return;
            }
            ConcatAssembler.Complete done = server.concatenations().add(client.name(), sm, c, new ConcatAssembler.Held(this, sm, text),
                    server.clock().millis());
            if (done != null) {
                StringBuilder whole = new StringBuilder();
                done.parts().forEach(h -> whole.append(h.text()));
                SubmitSm first = done.parts().get(0).sm();
                store(SubmitSmReader.read(client.name(), first, server.clock().instant()).withText(whole.toString()).withReceipt(first.getRegisteredDelivery() & 0x03),
                        done.toAnswer());
            }
            return; // the response waits for the last part
        }
        Intake.Request req;
        try {
            req = SubmitSmReader.read(client.name(), sm, server.clock().instant()).withReceipt(sm.getRegisteredDelivery() & 0x03);
        } catch (InvalidRequestException e) {
            refuse(List.of(new ConcatAssembler.Held(this, sm, "")), e);
            return;
        }
        store(req, List.of(new ConcatAssembler.Held(this, sm, null)));
    }

    /**
     * Hands the message to the submitter (validated, within the client's rate, stored); answers every submit_sm it came in
     * (one, or all parts) once stored or refused.
     */
    private void store(Intake.Request req, List<ConcatAssembler.Held> parts) {
        server.submitter().submit(req, ctx.channel(), () -> {
            if (server.clients().take(client.name(), 1, System.nanoTime()) < 1) {
                throw smppgw.intake.Clients.rateLimited(client.name(), client.tps());
            }
        }).whenComplete((result, err) -> {
            int status = SmppConstants.STATUS_OK;
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof InvalidRequestException e) {
                    refuse(parts, e);
                    return;
                }
                status = SmppConstants.STATUS_SYSERR; // transient: the integrator sends it again later
                if (cause instanceof StoreUnavailableException su) {
                    server.metrics().intake.labelValues("smpp", client.name(), su.code()).inc();
                } else {
                    LOG.error("[smpp-server] [client:{}] submit failed", client.name(), cause);
                }
            } else if (!result.stored()) {
                status = SmppConstants.STATUS_SUBMITFAIL;
                server.metrics().intake.labelValues("smpp", client.name(), result.refusal()).inc();
            } else {
                server.counters().accepted.incrementAndGet();
                server.metrics().intake.labelValues("smpp", client.name(), result.duplicate() ? "duplicate" : "accepted").inc();
            }
            for (ConcatAssembler.Held h : parts) {
                SubmitSmResp resp = h.sm().createResponse();
                resp.setCommandStatus(status);
                if (status == SmppConstants.STATUS_OK) {
                    resp.setMessageId(result.id());
                }
                h.session().send(resp);
            }
        });
    }

    private void refuse(List<ConcatAssembler.Held> parts, InvalidRequestException e) {
        server.counters().refused.incrementAndGet();
        server.metrics().intake.labelValues("smpp", client.name(), e.code()).inc();
        if (e.code().equals("no_route")) {
            LOG.warn("[smpp-server] [client:{}] no route: {}", client.name(), e.getMessage());
        }
        for (ConcatAssembler.Held h : parts) {
            SubmitSmResp resp = h.sm().createResponse();
            resp.setCommandStatus(SubmitSmReader.status(e));
            h.session().send(resp);
        }
    }

    /**
     * After unbind_resp or a refused bind the ESME is the one to close (SMPP 3.4 §2.9); closing at once
     * races clients that process responses on other threads (jSMPP), so the server closes only if it has not.
     */
    /** Its bind was refused: the connection closes a second later, and nothing else on it is answered meanwhile. */
    private boolean refused;

    private void closeSoon() {
        ctx.executor().schedule(() -> {
            ctx.close();
        }, 1, TimeUnit.SECONDS);
    }

    private void reply(PduRequest<?> req, int status) {
        PduResponse r = req.createResponse();
        r.setCommandStatus(status);
        send(r);
    }

    /** Encodes and writes without waiting; safe from any thread. */
    io.netty.channel.ChannelFuture send(Pdu pdu) {
        try {
            return ctx.writeAndFlush(server.transcoder().encode(pdu));
        } catch (Exception e) {
            LOG.error("[smpp-server] cannot encode {}: {}", pdu.getName(), e.toString());
            return ctx.newFailedFuture(e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("[smpp-server] [client:{}] idle for {} ms, unbinding", client == null ? "-" : client.name(), server.idleTimeoutMs());
            send(new Unbind()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Asks the integrator to unbind (shutdown), then closes. */
    void unbind() {
        ctx.executor().execute(() -> send(new Unbind()).addListener(ChannelFutureListener.CLOSE));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            LOG.warn("[smpp-server] connection error: {}", cause.toString());
        }
        ctx.close();
    }
}
