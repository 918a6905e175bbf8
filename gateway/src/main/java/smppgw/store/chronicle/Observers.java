package smppgw.store.chronicle;

import smppgw.journal.Observer;
import smppgw.state.Change;

/** What the store does with what the journal thread observes: the per-change log lines, and the metrics listeners. */
final class Observers implements Observer {
    private final StateLog stateLog;
    volatile smppgw.store.ReadListener onRead = (m, via, ms) -> { };
    volatile java.util.function.ObjLongConsumer<String> receiptLatency = (op, ms) -> { };
    /** (operator, reason) of each receipt not put on a message when it came. */
    volatile java.util.function.BiConsumer<String, String> unmatched = (op, why) -> { };
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("smppgw.receipts");
    private boolean replaying;

    Observers(StateLog stateLog) {
        this.stateLog = stateLog;
    }

    @Override
    public void changed(Change c) {
        if (c instanceof Change.AddEvent a) {
            stateLog.event(a.id(), a.operator(), a.event());
        } else if (c instanceof Change.PutMessage p) {
            stateLog.accepted(p.message());
        } else if (c instanceof Change.PutInbound i) {
            stateLog.inbound(i.inbound());
        } else if (c instanceof Change.PutConsent pc) {
            stateLog.consent(pc.consent());
        } else if (c instanceof Change.ReceiptParked p) {
            stateLog.parked(p.receipt());
        } else if (c instanceof Change.FirstRead r) {
            onRead.read(r.message(), r.via(), r.latencyMs());
        } else if (c instanceof Change.ReceiptMatched m) {
            receiptLatency.accept(m.operator(), m.latencyMs());
        } else if (c instanceof Change.ReceiptUnmatched u) {
            unmatched.accept(u.operator(), u.reason());
        } else if (c instanceof Change.IdFormatChanged f && !replaying) {
            if (f.learning().locked() != null) {
                LOG.info("[account:{}] receipts write message ids {} ({}); reading them only that way from now on", f.account(),
                        f.learning().locked().label(), f.why());
            } else {
                LOG.warn("[account:{}] receipt id format unlocked: {}", f.account(), f.why());
            }
        }
    }

    @Override
    public void replaying(boolean on) {
        replaying = on;
        stateLog.quiet(on);
    }
}
