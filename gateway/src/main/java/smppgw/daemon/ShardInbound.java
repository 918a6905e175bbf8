package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import smppgw.intake.InvalidRequestException;
import smppgw.intake.PhoneNumbers;
import smppgw.protocol.Concat;
import smppgw.receipt.ReceiptRecorder;
import smppgw.route.Shards;
import smppgw.smpp.DeliveryReport;
import smppgw.smpp.InboundListener;

/**
 * Where a sharded node's binds hand what the SMSCs send: a receipt to the core of the shard of the number it reports on
 * (the deliver_sm's source address: the recipient of the message, whose shard wrote it), a handset's message to the core
 * of the sender's shard (where the messages it may answer are). When that shard does not run here — the SMSC sent the
 * receipt on another node's bind, or the shard moved since the message went — the deliver_sm is answered
 * ESME_RX_T_APPN (the SMSC sends it again later) and counted: the node link of docs/cluster.md step 3 is what will carry
 * it to the node that runs the shard.
 */
final class ShardInbound implements InboundListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShardInbound.class);

    private final int shards;
    private final String defaultCountryCode;
    private final IntFunction<ReceiptRecorder> local;
    final AtomicLong receiptsElsewhere = new AtomicLong();
    final AtomicLong moElsewhere = new AtomicLong();

    /** @param local the recorder of a shard's core while it runs here, else null */
    ShardInbound(int shards, String defaultCountryCode, IntFunction<ReceiptRecorder> local) {
        this.shards = shards;
        this.defaultCountryCode = defaultCountryCode;
        this.local = local;
    }

    /** The shard of a number as an SMSC writes it ({@code 336...}, {@code +336...}, national {@code 06...}). */
    int shardOf(String number) {
        String n;
        try {
            n = PhoneNumbers.normalize("number", number, defaultCountryCode);
        } catch (InvalidRequestException e) {
            n = number; // a short code or an odd form: its digits as they are
        }
        return Shards.of(n, shards);
    }

    @Override
    public CompletableFuture<Void> onReceipt(String operator, String bind, DeliveryReport report) {
        if (report.handset() == null || report.handset().isBlank()) {
            receiptsElsewhere.incrementAndGet();
            LOG.warn("[op:{}] [bind:{}] receipt for {} without a source address: no shard to give it to", operator, bind, report.smscId());
            return CompletableFuture.failedFuture(new IllegalStateException("receipt without the recipient's number"));
        }
        int shard = shardOf(report.handset());
        ReceiptRecorder r = local.apply(shard);
        if (r == null) {
            receiptsElsewhere.incrementAndGet();
            LOG.debug("[op:{}] [bind:{}] receipt for {} belongs to shard {}, not run here: answered for a later try", operator, bind,
                    report.smscId(), shard);
            return CompletableFuture.failedFuture(new IllegalStateException("shard " + shard + " does not run here"));
        }
        return r.onReceipt(operator, bind, report);
    }

    @Override
    public CompletableFuture<Void> onMo(String operator, String bind, String from, String to, String text, Concat part) {
        int shard = from == null || from.isBlank() ? 0 : shardOf(from);
        ReceiptRecorder r = local.apply(shard);
        if (r == null) {
            moElsewhere.incrementAndGet();
            LOG.debug("[op:{}] [bind:{}] message from {} belongs to shard {}, not run here: answered for a later try", operator, bind, from, shard);
            return CompletableFuture.failedFuture(new IllegalStateException("shard " + shard + " does not run here"));
        }
        return r.onMo(operator, bind, from, to, text, part);
    }
}
