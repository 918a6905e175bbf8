package smppgw.receipt;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.Receipt;
import smppgw.model.SmscIds;
import smppgw.notify.Notices;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Puts each receipt on the message part it is about. A submitted part is indexed under its SMSC id, per SMSC account
 * (operators binding to one account share it: the SMSC may send a receipt on any bind of the account); a receipt
 * looks its id up; one that comes before the submit it is about was recorded (another bind, a fast SMSC) is parked
 * under its id and matched when that submit is. Ids are folded ({@link SmscIds#canonical}); a receipt's id is tried
 * as written, then in the other base ({@link SmscIds#candidates}).
 */
public final class Correlation {
    private final Map<String, String> accounts;
    private final Notices notices;

    /** @param accounts operator → the account its receipts are matched under (operators not in it are their own) */
    public Correlation(Map<String, String> accounts, Notices notices) {
        this.accounts = Map.copyOf(accounts);
        this.notices = notices;
    }

    public String account(String operator) {
        return accounts.getOrDefault(operator, operator);
    }

    /** A receipt: an event of the part it names, or parked until that part's submit is recorded. */
    public void onReceipt(Receipt r, byte[] json, long index, StateView view, Consumer<Change> out) {
        String account = account(r.operator());
        for (String candidate : SmscIds.candidates(r.smscId())) {
            StateView.Submitted s = view.submitted(account, candidate);
            if (s != null) {
                Event ev = receiptEvent(r, s.part(), s.parts());
                if (s.at() >= 0) {
                    out.accept(new Change.ReceiptMatched(r.operator(), Math.max(0, r.receivedAt() - s.at())));
                }
                notices.onEvent(s.id(), ev, index, view, out);
                out.accept(new Change.AddEvent(s.id(), r.operator(), ev, null));
                return;
            }
        }
        out.accept(new Change.Park(account, SmscIds.canonical(r.smscId()), r.receivedAt(), index, r, json));
        out.accept(new Change.ReceiptParked(r));
    }

    /** A part was submitted: index it under its SMSC id, and match the receipts that came before it. */
    public void onSubmitted(String id, String operator, Event submitted, long index, StateView view, Consumer<Change> out) {
        String account = account(operator);
        out.accept(new Change.PutSubmitted(account, SmscIds.canonical(submitted.smscId()),
                new StateView.Submitted(id, submitted.part(), submitted.parts(), submitted.at())));
        for (String candidate : SmscIds.candidates(submitted.smscId())) {
            List<StateView.Parked> parked = view.parked(account, candidate);
            for (StateView.Parked p : parked) {
                Event ev = receiptEvent(p.receipt(), submitted.part(), submitted.parts());
                notices.onEvent(id, ev, index, view, out);
                out.accept(new Change.AddEvent(id, operator, ev, null));
                out.accept(new Change.Unpark(account, candidate, p));
            }
        }
    }

    /** The receipt as an event of a message, about {@code part} of {@code parts} (nulls: a single-part message). */
    static Event receiptEvent(Receipt r, Integer part, Integer parts) {
        Event e = Event.receipt(r.receivedAt(), r.smscId(), r.bind(), r.stat(), r.err());
        return part == null ? e : e.ofPart(part, parts);
    }
}
