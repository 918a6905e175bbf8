package smppgw.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import smppgw.store.DiskFullException;
import smppgw.store.StoreUnavailableException;

/** Answering a command that could not be carried out: whoever waits for it is told why. */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private Refusals() {
    }

    static void fail(Command c, Throwable t) {
        failWith(c, t instanceof StoreUnavailableException su ? su : new StoreUnavailableException("store write failed: " + t.getMessage(), t));
    }

    static void failWith(Command c, StoreUnavailableException e) {
        if (c instanceof Command.Accept a) {
            a.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreReceipt r) {
            r.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreInbound i) {
            i.done().completeExceptionally(e);
        } else if (c instanceof Command.Barrier b) {
            b.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreOptOut o) {
            o.done().completeExceptionally(e);
        } else if (c instanceof Command.StoreCampaign sc) {
            sc.done().completeExceptionally(e);
        } else if (c instanceof Command.Redeem r) {
            r.done().completeExceptionally(e);
        } else if (c instanceof Command.Reserve rv) {
            rv.done().completeExceptionally(e);
        } else if (c instanceof Command.Cancel k) {
            k.done().completeExceptionally(e);
        } else if (c instanceof Command.Hold h) {
            h.done().completeExceptionally(e);
        } else if (c instanceof Command.Purge p) {
            p.done().completeExceptionally(e);
        } else if (c instanceof Command.Record r) {
            LOG.error("[msg:{}] event {} not journaled: the store failed", r.id(), r.event().type());
        }
    }

    /** Whether a failure is the disk being full (a reservation, or the state database's own "No space left"). */
    static boolean noSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof DiskFullException || String.valueOf(c.getMessage()).contains("No space left")) {
                return true;
            }
        }
        return false;
    }
}
