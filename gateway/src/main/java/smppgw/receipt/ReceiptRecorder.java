package smppgw.receipt;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

import smppgw.metrics.Metrics;
import smppgw.smpp.DeliveryReport;
import smppgw.protocol.Concat;
import smppgw.smpp.InboundListener;
import smppgw.model.Ids;
import smppgw.model.Inbound;
import smppgw.store.MessageStore;
import smppgw.model.OptOut;
import smppgw.model.Receipt;

/**
 * Receipts and handset messages from the binds into the store. The store matches receipts to messages
 * (in journal order, so a receipt that beats its submit_sm_resp still matches); the deliver_sm is
 * acknowledged only once the store has it.
 */
public final class ReceiptRecorder implements InboundListener {
    private final MessageStore store;
    private final Clock clock;
    private final Ids ids = new Ids();

    private final Metrics metrics;

    private final smppgw.policy.Keywords keywords;
    private final String defaultCountryCode;

    /**
     * @param keywords           opt-out / opt-in keywords recognised in handset messages
     * @param defaultCountryCode for handset numbers an SMSC gives in national format
     */
    public ReceiptRecorder(MessageStore store, Clock clock, Metrics metrics, smppgw.policy.Keywords keywords,
                           String defaultCountryCode) {
        this.keywords = keywords;
        this.defaultCountryCode = defaultCountryCode;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<Void> onReceipt(String operator, String bind, DeliveryReport r) {
        metrics.receipts.labelValues(operator, r.stat()).inc();
        return store.recordReceipt(new Receipt(operator, bind, r.smscId(), r.stat(), r.err(), r.submitDate(), r.doneDate(),
                clock.millis(), r.handset()));
    }

    /**
     * The handset's number as intake writes destinations, so the suppression list matches them: E.164 when it can
     * be read as one (an SMSC often leaves out the '+' of an international number), else as received.
     */
    private String e164(String from) {
        return smppgw.model.PhoneNumber.handset(from, defaultCountryCode);
    }

    @Override
    public CompletableFuture<Void> onMo(String operator, String bind, String from, String to, String text, Concat part) {
        metrics.inbound.labelValues(operator).inc();
        long now = clock.millis();
        String id;
        synchronized (ids) {
            id = ids.next(now);
        }
        boolean isPart = part != null && part.parts() > 1 && part.seq() >= 1 && part.seq() <= part.parts();
        if (isPart) {
            return store.recordInbound(new Inbound(id, now, operator, bind, from, to, text, part.ref(), part.parts(), part.seq()));
        }
        Inbound mo = new Inbound(id, now, operator, bind, from, to, text);
        smppgw.policy.Keywords.Match k = keywords.match(text);
        if (k != null) {
            metrics.optOuts.labelValues("mo", k.optOut() ? "out" : "in").inc();
            mo = mo.withOptOut(new OptOut(e164(from), k.optOut(), now, "mo", k.keyword(), to));
        }
        return store.recordInbound(mo);
    }
}
