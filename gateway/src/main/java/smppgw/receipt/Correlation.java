package smppgw.receipt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Receipt;
import smppgw.model.ReceiptIdFormat;
import smppgw.model.SmscIds;
import smppgw.notify.Notices;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Puts each receipt on the message part it is about, or on none: never a guess. A submitted part is indexed under its
 * SMSC id, per SMSC account (operators binding to one account share it: the SMSC may send a receipt on any bind of the
 * account). A receipt is read in the account's id format ({@link ReceiptIdFormat}): configured, or learned. While it is
 * being learned, a receipt is put on a part only when exactly one reading of its id names a part still waiting for its
 * receipt, sent to the number the receipt comes from; such a receipt (if it has a source address to check: without one,
 * its own message may just not be submitted yet while another reading names another one) is a vote for that reading's
 * format, and once
 * {@link #LOCK_VOTES} votes agree (nine in ten), the format is locked and only it is read. Anything else waits, parked
 * under its id: a receipt before its submit (matched when the submit is recorded), an ambiguous one (matched once the
 * format is known), one that contradicts the locked format (counted; {@link #UNLOCK_CONTRADICTIONS} of them unlock it).
 */
public final class Correlation {
    static final int LOCK_VOTES = 10;
    static final int UNLOCK_CONTRADICTIONS = 20;

    private final Map<String, String> accounts;
    private final Map<String, ReceiptIdFormat> configured;
    private final Map<String, Long> queryAfterMs;
    private final Notices notices;

    /**
     * @param accounts   operator → the account its receipts are matched under (operators not in it are their own)
     * @param configured account → its id format, for accounts not left to learn it ({@code id-format: auto})
     */
    public Correlation(Map<String, String> accounts, Map<String, ReceiptIdFormat> configured, Notices notices) {
        this(accounts, configured, Map.of(), notices);
    }

    /** @param queryAfterMs operator → how long after its submit a part without a final receipt is asked about (absent: never) */
    public Correlation(Map<String, String> accounts, Map<String, ReceiptIdFormat> configured, Map<String, Long> queryAfterMs,
                       Notices notices) {
        this.accounts = Map.copyOf(accounts);
        this.configured = Map.copyOf(configured);
        this.queryAfterMs = Map.copyOf(queryAfterMs);
        this.notices = notices;
    }

    public String account(String operator) {
        return accounts.getOrDefault(operator, operator);
    }

    /** A part a reading names, and whether it still waits for its (final) receipt. */
    private record Candidate(ReceiptIdFormat format, String key, StateView.Submitted part, boolean waiting, Message message) {
    }

    /** The readings of a receipt's id that name a part sent to the receipt's number, one per part. */
    private static List<Candidate> candidates(Receipt r, String account, List<ReceiptIdFormat> formats, StateView view) {
        Map<String, Candidate> byPart = new LinkedHashMap<>();
        for (ReceiptIdFormat f : formats) {
            String key = f.read(r.smscId());
            StateView.Submitted s = key == null ? null : view.submitted(account, key);
            if (s == null) {
                continue;
            }
            Message m = view.message(s.id());
            if (m != null && !r.couldBeFor(m.to())) {
                continue;
            }
            String part = s.id() + '/' + s.part();
            if (!byPart.containsKey(part)) {
                byPart.put(part, new Candidate(f, key, s, waiting(s, view), m));
            }
        }
        return new ArrayList<>(byPart.values());
    }

    /** Whether a part has had no final receipt yet: its entry says so, or (entries of earlier versions) its events. */
    private static boolean waiting(StateView.Submitted s, StateView view) {
        if (s.finalReceipt() != null) {
            return !s.finalReceipt();
        }
        for (Event e : view.events(s.id())) {
            if (e.type() == EventType.RECEIPT && (e.part() == null || e.part().equals(s.part()))) {
                MessageState st = MessageState.ofReceiptStat(e.stat());
                if (st != null && st.isFinal()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A receipt: an event of the part it names, or parked (with why, when it is not simply early). */
    public void onReceipt(Receipt r, byte[] json, long index, StateView view, Consumer<Change> out) {
        String account = account(r.operator());
        if (!match(r, account, index, view, out, true)) {
            out.accept(new Change.Park(account, SmscIds.canonical(r.smscId()), r.receivedAt(), index, r, json));
            out.accept(new Change.ReceiptParked(r));
        }
    }

    /**
     * Tries to put a receipt on its part. {@code live}: it just came (its latency is observed, it may vote, a
     * contradiction counts); else it was parked and is tried again. True when it went on a part.
     */
    private boolean match(Receipt r, String account, long index, StateView view, Consumer<Change> out, boolean live) {
        ReceiptIdFormat fixed = configured.get(account);
        ReceiptIdFormat.Learning learning = fixed != null ? null : view.idFormat(account);
        ReceiptIdFormat known = fixed != null ? fixed : learning.locked();
        if (known != null) {
            List<Candidate> c = candidates(r, account, List.of(known), view);
            if (!c.isEmpty()) {
                deliver(r, c.get(0), index, view, out, live);
                return true;
            }
            if (live && fixed == null) {
                List<Candidate> others = candidates(r, account, List.of(ReceiptIdFormat.values()), view).stream()
                        .filter(Candidate::waiting).toList();
                if (!others.isEmpty()) { // another reading names a waiting part: the account does not write ids as learned
                    out.accept(new Change.ReceiptUnmatched(r.operator(), "contradicts_format"));
                    ReceiptIdFormat.Learning l = learning;
                    l = new ReceiptIdFormat.Learning(l.locked(), l.lockedAtIndex(), l.same(), l.hexToDec(), l.decToHex(), l.contradictions() + 1);
                    if (l.contradictions() >= UNLOCK_CONTRADICTIONS) {
                        out.accept(new Change.PutIdFormat(account, ReceiptIdFormat.Learning.NONE));
                        out.accept(new Change.IdFormatChanged(account, ReceiptIdFormat.Learning.NONE, l.contradictions()
                                + " receipts contradicted " + l.locked().label() + ": learning again"));
                    } else {
                        out.accept(new Change.PutIdFormat(account, l));
                    }
                }
            }
            return false;
        }
        List<Candidate> all = candidates(r, account, List.of(ReceiptIdFormat.values()), view);
        List<Candidate> waiting = all.stream().filter(Candidate::waiting).toList();
        if (waiting.size() == 1) {
            Candidate c = waiting.get(0);
            deliver(r, c, index, view, out, live);
            if (r.handset() != null) { // checked against the number: evidence; without one, its own may just not be submitted yet
                vote(account, learning, r, c.key(), index, view, out);
            }
            return true;
        }
        if (waiting.isEmpty() && all.size() == 1) { // sent again for a part that had its final receipt: a duplicate
            deliver(r, all.get(0), index, view, out, live);
            return true;
        }
        if (live && waiting.size() > 1) {
            out.accept(new Change.ReceiptUnmatched(r.operator(), "ambiguous"));
        }
        return false;
    }

    /** One vote per format that reads the id to the part it went on; enough agreeing votes lock the format. */
    private void vote(String account, ReceiptIdFormat.Learning learning, Receipt r, String key, long index, StateView view,
                      Consumer<Change> out) {
        List<ReceiptIdFormat> agreeing = new ArrayList<>();
        for (ReceiptIdFormat f : ReceiptIdFormat.values()) {
            if (key.equals(f.read(r.smscId()))) {
                agreeing.add(f);
            }
        }
        if (agreeing.size() != 1) {
            return; // the id reads the same several ways: it says nothing about the format
        }
        ReceiptIdFormat f = agreeing.get(0);
        ReceiptIdFormat.Learning l = learning.vote(f);
        if (l.votes(f) >= LOCK_VOTES && l.votes(f) * 10 >= l.total() * 9) {
            l = new ReceiptIdFormat.Learning(f, index, l.same(), l.hexToDec(), l.decToHex(), 0);
            out.accept(new Change.PutIdFormat(account, l));
            out.accept(new Change.IdFormatChanged(account, l, l.votes(f) + " of " + l.total() + " receipts agree"));
            for (StateView.Expiring p : view.parkedOf(account)) { // what waited for the format (the one voting is its caller's)
                if (!p.parked().receipt().equals(r) && match(p.parked().receipt(), account, index, view, out, false)) {
                    out.accept(new Change.Unpark(account, p.canonicalSmscId(), p.parked()));
                }
            }
        } else {
            out.accept(new Change.PutIdFormat(account, l));
        }
    }

    private void deliver(Receipt r, Candidate c, long index, StateView view, Consumer<Change> out, boolean live) {
        StateView.Submitted s = c.part();
        Event ev = receiptEvent(r, s.part(), s.parts());
        if (!c.waiting()) {
            ev = new Event(ev.type(), ev.at(), ev.attempt(), ev.smscId(), ev.bind(), ev.status(), ev.stat(), ev.err(),
                    "duplicate: the part already had its final receipt", ev.part(), ev.parts(), ev.via());
        }
        if (live && s.at() >= 0) {
            out.accept(new Change.ReceiptMatched(r.operator(), Math.max(0, r.receivedAt() - s.at())));
        }
        Message m = c.message();
        String op = m == null ? r.operator() : m.operator();
        notices.onEvent(s.id(), ev, index, view, out);
        out.accept(new Change.AddEvent(s.id(), op, ev, null));
        MessageState st = MessageState.ofReceiptStat(r.stat());
        if (c.waiting() && st != null && st.isFinal() && s.at() >= 0) { // the entry remembers it: a receipt for it again is a duplicate, without reading events
            out.accept(new Change.PutSubmitted(account(r.operator()), c.key(), s.receiptIn()));
        }
    }

    /** A part was submitted: index it under its SMSC id, and try the receipts that came before it. */
    public void onSubmitted(String id, String operator, Event submitted, long index, StateView view, Consumer<Change> out) {
        String account = account(operator);
        out.accept(new Change.PutSubmitted(account, SmscIds.canonical(submitted.smscId()),
                new StateView.Submitted(id, submitted.part(), submitted.parts(), submitted.at(), false)));
        Long queryAfter = queryAfterMs.get(operator);
        if (queryAfter != null && queryAfter > 0) {
            out.accept(new Change.QueryDue(submitted.at() + queryAfter, operator, submitted.smscId(),
                    new Change.Query(id, submitted.part(), submitted.parts(), submitted.at(), 0)));
        }
        ReceiptIdFormat fixed = configured.get(account);
        ReceiptIdFormat known = fixed != null ? fixed : view.idFormat(account).locked();
        List<String> keys = new ArrayList<>();
        for (ReceiptIdFormat f : known != null ? List.of(known) : List.of(ReceiptIdFormat.values())) {
            String k = f.written(submitted.smscId());
            if (k != null && !keys.contains(k)) {
                keys.add(k);
            }
        }
        for (String key : keys) {
            for (StateView.Parked p : view.parked(account, key)) {
                if (view.parked(account, key).contains(p) && match(p.receipt(), account, index, view, out, false)) { // still there
                    out.accept(new Change.Unpark(account, key, p));
                }
            }
        }
    }

    /** The receipt as an event of a message, about {@code part} of {@code parts} (nulls: a single-part message). */
    static Event receiptEvent(Receipt r, Integer part, Integer parts) {
        Event e = Event.receipt(r.receivedAt(), r.smscId(), r.bind(), r.stat(), r.err());
        return part == null ? e : e.ofPart(part, parts);
    }
}
