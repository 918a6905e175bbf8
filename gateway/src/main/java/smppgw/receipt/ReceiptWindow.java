package smppgw.receipt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import smppgw.journal.Entry;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Ends the wait for receipts that never come: a part submitted longer than the receipt window ago leaves the
 * correlation index, and its message, if it has no final state, gets a NO_RECEIPT event (once, however many of its
 * parts expire). Parked receipts that never found their submit within the window are dropped.
 */
public final class ReceiptWindow {
    private ReceiptWindow() {
    }

    /** What a sweep journals (NO_RECEIPT events) and how many parked receipts it dropped. */
    public record Sweep(List<Entry> entries, int dropped) {
    }

    public static Sweep sweep(long now, long windowMs, String window, StateView view, Consumer<Change> out) {
        long before = now - windowMs;
        List<Entry> entries = new ArrayList<>();
        Set<String> noted = new HashSet<>();
        for (StateView.Expiring e : view.submittedBefore(before, 10_000)) {
            String id = e.submitted().id();
            List<Event> events = view.events(id);
            boolean settled = MessageState.derive(events).isFinal() || events.stream().anyMatch(ev -> ev.type() == EventType.NO_RECEIPT);
            if (!settled && noted.add(id)) {
                Message m = view.message(id);
                entries.add(Entry.event(id, m == null ? "" : m.operator(), Event.noReceipt(now, "no final receipt within " + window)));
            }
            out.accept(new Change.DeleteSubmitted(e.account(), e.canonicalSmscId(), e.submitted().at()));
        }
        int dropped = 0;
        for (StateView.Expiring p : view.parkedBefore(before)) {
            out.accept(new Change.Unpark(p.account(), p.canonicalSmscId(), p.parked()));
            dropped++;
        }
        return new Sweep(entries, dropped);
    }
}
