package smppgw.api.smpp;

import java.util.concurrent.CompletableFuture;

import smppgw.intake.Intake;
import smppgw.model.AcceptResult;

/**
 * Where the SMPP server's submits go once read: a gateway's one intake, or, on a node of a sharded group, the core of the
 * recipient's shard — here, or on the node that runs it (docs/cluster.md, step 2).
 */
public interface Submitter {
    /**
     * Validates and stores one message.
     *
     * @param session the integrator's connection it came on (its event loop may carry a forwarded request)
     * @param rate    takes one from the client's rate, or throws the refusal: run once the message is found valid, or (when it is
     *                validated on another node) before it is handed on
     * @return its result once stored (or refused by a rule); exceptionally an {@link smppgw.intake.InvalidRequestException}
     *         (refused before storing: the SMPP status follows from it) or anything else (not stored: ESME_RSYSERR)
     */
    CompletableFuture<AcceptResult> submit(Intake.Request request, io.netty.channel.Channel session, Runnable rate);

    /** A gateway's intake, in-process. */
    static Submitter local(Intake intake) {
        return (request, session, rate) -> smppgw.intake.Submits.one(intake, request, rate);
    }
}
