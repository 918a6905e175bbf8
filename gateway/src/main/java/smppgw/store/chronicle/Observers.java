package smppgw.store.chronicle;

import smppgw.journal.Observer;
import smppgw.state.Change;

/** What the store does with what the journal thread observes: the per-change log lines, and the metrics listeners. */
final class Observers implements Observer {
    private final StateLog stateLog;
    volatile smppgw.store.ReadListener onRead = (m, via, ms) -> { };
    volatile java.util.function.ObjLongConsumer<String> receiptLatency = (op, ms) -> { };

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
        } else if (c instanceof Change.ApplyOptOut o) {
            stateLog.optOut(o.optOut());
        } else if (c instanceof Change.ReceiptParked p) {
            stateLog.parked(p.receipt());
        } else if (c instanceof Change.FirstRead r) {
            onRead.read(r.message(), r.via(), r.latencyMs());
        } else if (c instanceof Change.ReceiptMatched m) {
            receiptLatency.accept(m.operator(), m.latencyMs());
        }
    }

    @Override
    public void replaying(boolean on) {
        stateLog.quiet(on);
    }
}
