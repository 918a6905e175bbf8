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
    private final Ids ids;

    private final Metrics metrics;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReceiptRecorder.class);

    /** Handset keywords (STOP, START) are recognised by the store, on the journal thread ({@link smppgw.policy.OptOuts}). */
    public ReceiptRecorder(MessageStore store, Clock clock, Metrics metrics) {
        this(store, clock, metrics, -1);
    }

    /** @param shard the shard of a sharded group the store is, carried in the ids of handset messages ({@link Ids}), or -1 */
    public ReceiptRecorder(MessageStore store, Clock clock, Metrics metrics, int shard) {
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.ids = new Ids(new java.security.SecureRandom(), shard);
    }

    private volatile java.util.function.Consumer<Inbound> onJournaled = mo -> {
    };

    /** Called with every handset message once journaled (as journaled: with the opt-out it made, if any). */
    public ReceiptRecorder onJournaled(java.util.function.Consumer<Inbound> listener) {
        this.onJournaled = listener;
        return this;
    }

    @Override
    public CompletableFuture<Void> onReceipt(String operator, String bind, DeliveryReport r) {
        metrics.receipts.labelValues(operator, r.stat()).inc();
        return store.recordReceipt(new Receipt(operator, bind, r.smscId(), r.stat(), r.err(), r.submitDate(), r.doneDate(),
                clock.millis(), r.handset()));
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
        Inbound mo = isPart ? new Inbound(id, now, operator, bind, from, to, text, part.ref(), part.parts(), part.seq())
                : new Inbound(id, now, operator, bind, from, to, text);
        return store.recordInbound(mo).thenAccept(journaled -> {
            onJournaled.accept(journaled);
            OptOut k = journaled.optOut(); // a keyword (of the whole message, on a concatenated one's last part)
            if (k != null) {
                metrics.optOuts.labelValues("mo", k.out() ? "out" : "in").inc();
                LOG.info("[mo:{}] {} {} to {} ({})", journaled.id(), k.detail(), k.out() ? "opt-out" : "opt-in", to,
                        k.scope() == null ? "the gateway's list: no client owns " + to + " nor sent to the handset from it"
                                : "for " + String.join(", ", k.scope()));
            }
        });
    }
}
