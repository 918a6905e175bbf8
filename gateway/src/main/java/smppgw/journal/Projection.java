package smppgw.journal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.notify.Notices;
import smppgw.receipt.Correlation;
import smppgw.receipt.MoAssembly;
import smppgw.state.Change;
import smppgw.state.StateView;
import smppgw.track.Reads;
import smppgw.track.Replies;

/**
 * What each journal record does to the state, the only thing a replay runs: the same record gives the same changes,
 * live or after a crash. Reads go through the view, which sees every change made before (the store applies each
 * change as it comes); the rules of each kind live in their domain package.
 */
public final class Projection {
    private final Notices notices;
    private final Correlation correlation;
    private final Reads reads;
    private final Replies replies;
    private final smppgw.policy.OptOuts optOuts;

    /**
     * @param accounts    operator → the SMSC account its receipts are matched under
     * @param replyWindowMs a reply within this long of a message marks it READ (0: never)
     */
    public Projection(Set<String> notified, Map<String, String> moRoutes, Map<String, String> accounts, long replyWindowMs,
                      String defaultCountryCode) {
        this(notified, moRoutes, accounts, Map.of(), replyWindowMs, defaultCountryCode);
    }

    public Projection(Set<String> notified, Map<String, String> moRoutes, Map<String, String> accounts,
                      Map<String, smppgw.model.ReceiptIdFormat> idFormats, long replyWindowMs, String defaultCountryCode) {
        this(notified, moRoutes, accounts, idFormats, Map.of(), replyWindowMs, defaultCountryCode);
    }

    /**
     * @param idFormats    SMSC account → its receipt id format, for accounts that do not learn it
     * @param queryAfterMs operator → how long after its submit a part without a final receipt is asked about with query_sm
     */
    public Projection(Set<String> notified, Map<String, String> moRoutes, Map<String, String> accounts,
                      Map<String, smppgw.model.ReceiptIdFormat> idFormats, Map<String, Long> queryAfterMs, long replyWindowMs,
                      String defaultCountryCode) {
        this(notified, moRoutes, accounts, idFormats, queryAfterMs, replyWindowMs, defaultCountryCode, smppgw.policy.Keywords.defaults());
    }

    /** @param keywords the opt-out and opt-in keywords handset messages are matched against */
    public Projection(Set<String> notified, Map<String, String> moRoutes, Map<String, String> accounts,
                      Map<String, smppgw.model.ReceiptIdFormat> idFormats, Map<String, Long> queryAfterMs, long replyWindowMs,
                      String defaultCountryCode, smppgw.policy.Keywords keywords) {
        this.optOuts = new smppgw.policy.OptOuts(keywords, moRoutes, defaultCountryCode);
        this.notices = new Notices(notified, moRoutes);
        this.correlation = new Correlation(accounts, idFormats, queryAfterMs, notices);
        this.reads = new Reads(notices);
        this.replies = new Replies(replyWindowMs, defaultCountryCode, reads);
    }

    /** @param json the encoding the journal holds of the record's object (message, event, ...), or null */
    public void project(Entry e, byte[] json, long index, StateView view, Consumer<Change> out) {
        switch (e.kind()) {
            case ACCEPTED -> accepted(e.message(), json, index, view, out);
            case EVENT -> event(e.id(), e.op(), e.event(), json, index, view, out);
            case RECEIPT -> correlation.onReceipt(e.receipt(), json, index, view, out);
            case INBOUND -> inbound(e.inbound(), json, index, view, out);
            case OPT_OUT -> smppgw.policy.OptOuts.apply(e.optOut(), view, out);
            case CAMPAIGN -> out.accept(new Change.PutCampaign(e.campaign(), json));
            case SERVED -> { } // read only by a restore (store.chronicle.JournalRestore)
            case RESERVED -> out.accept(new Change.PutReservation(e.reservation().client(), e.reservation().clientRef(),
                    e.reservation().released() ? null : e.reservation().held()));
        }
    }

    /** A message accepted: it, its first events, and the indexes that find it (reply, campaign, code, links, cap, client_ref, schedule). */
    private void accepted(Message m, byte[] json, long index, StateView view, Consumer<Change> out) {
        out.accept(new Change.PutLastSent(m.to(), m.from() == null ? "" : smppgw.model.PhoneNumber.stripPlus(m.from()),
                new StateView.LastSent(m.id(), m.acceptedAt())));
        if (m.campaign() != null) {
            out.accept(new Change.IndexCampaign(m.campaign(), m.id()));
        }
        if (m.promoCode() != null) {
            out.accept(new Change.PutPromoCode(m.promoCode(), new StateView.PromoCode(m.id(), null)));
        }
        if (m.links() != null) {
            m.links().forEach((token, url) -> out.accept(new Change.PutLink(token, m.id(), url)));
        }
        if (Message.PROMOTIONAL.equals(m.messageClass())) { // counted when it is sent
            out.accept(new Change.CountCap(m.to(), m.sendAt() != null ? m.sendAt() : m.acceptedAt(), m.id()));
        }
        out.accept(new Change.PutMessage(m, json));
        out.accept(new Change.AddEvent(m.id(), m.operator(), Event.accepted(m.acceptedAt()), null));
        if (m.clientRef() != null) {
            out.accept(new Change.PutRef(m.client(), m.clientRef(), m.id()));
        }
        notices.onAccepted(m, index, out);
        if (m.sendAt() != null) {
            out.accept(new Change.AddEvent(m.id(), m.operator(), Event.scheduled(m.acceptedAt(), m.sendAt()), null));
            smppgw.model.CampaignSettings c = m.campaign() == null ? null : view.campaign(m.client(), m.campaign());
            if (c != null && c.isDraft()) { // held until POST /v1/campaigns/{id}/start
                out.accept(new Change.AddEvent(m.id(), m.operator(), Event.held(m.acceptedAt(), "campaign is a draft"), null));
            } else {
                out.accept(new Change.Schedule(m.sendAt(), m.id()));
            }
        }
    }

    /** The key of a scheduled message's entry in the due index (one held while queued: when it was accepted, released at once). */
    static long dueAt(Message m, List<Event> events) {
        Long at = smppgw.model.MessageView.scheduledFor(m, events);
        return at != null ? at : m.acceptedAt();
    }

    private void event(String id, String op, Event ev, byte[] json, long index, StateView view, Consumer<Change> out) {
        if (ev.type() == EventType.RELEASED || ev.type() == EventType.CANCELLED || ev.type() == EventType.HELD) {
            Message m = view.message(id);
            if (m != null) {
                out.accept(new Change.Unschedule(dueAt(m, view.events(id)), id));
            }
        } else if (ev.type() == EventType.RESUMED) {
            Message m = view.message(id);
            if (m != null) {
                out.accept(new Change.Schedule(dueAt(m, view.events(id)), id)); // its own time, the index's key: released at once if it passed
            }
        } else if (ev.type() == EventType.SCHEDULED && ev.until() != null) { // moved (a campaign started): also ends a hold
            Message m = view.message(id);
            if (m != null) {
                out.accept(new Change.Unschedule(dueAt(m, view.events(id)), id));
                out.accept(new Change.Schedule(ev.until(), id));
            }
        }
        if (ev.type() == EventType.READ) {
            Message m = view.message(id);
            if (m != null) {
                if ("code".equals(ev.via()) && m.promoCode() != null) {
                    out.accept(new Change.PutPromoCode(m.promoCode(), new StateView.PromoCode(id, ev.at())));
                }
                reads.read(m, ev, index, view, out);
            }
            return;
        }
        notices.onEvent(id, ev, index, view, out);
        out.accept(new Change.AddEvent(id, op, ev, json));
        if (ev.type() == EventType.SUBMITTED && ev.smscId() != null) {
            correlation.onSubmitted(id, op, ev, index, view, out);
        }
    }

    private void inbound(Inbound mo, byte[] json, long index, StateView view, Consumer<Change> out) {
        smppgw.model.OptOut change = mo.optOut(); // on the last part of a concatenated one: what the whole message asked
        if (mo.isPart()) {
            mo = MoAssembly.join(mo, json, view, out);
            if (mo == null) {
                return; // more parts to come
            }
            mo = mo.withOptOut(change);
            out.accept(new Change.PutInbound(mo, null));
        } else {
            out.accept(new Change.PutInbound(mo, json));
        }
        notices.onInbound(mo, index, out);
        if (change != null) {
            smppgw.policy.OptOuts.apply(change, view, out);
        }
        replies.match(mo, index, view, out);
    }

    /** What handset keywords ask for, decided before a handset message is journaled. */
    public smppgw.policy.OptOuts optOuts() {
        return optOuts;
    }

    public Correlation correlation() {
        return correlation;
    }
}
