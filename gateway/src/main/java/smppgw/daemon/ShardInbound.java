package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

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
 * receipt on another node's bind, or the shard moved since the message went — it is forwarded to the shard's partition
 * of the group's inbound topic ({@link smppgw.store.kafka.InboundTopic}), and the deliver_sm answered once Kafka has it;
 * the shard's core reads it from there ({@link #deliver}). Only when that fails (Kafka unreachable) is the deliver_sm
 * answered ESME_RX_T_APPN, for the SMSC to send it again.
 */
final class ShardInbound implements InboundListener {
    private static final Logger LOG = LoggerFactory.getLogger(ShardInbound.class);

    private final int shards;
    private final String defaultCountryCode;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final IntFunction<ReceiptRecorder> local;
    private final java.util.function.BiFunction<Integer, byte[], CompletableFuture<Void>> forward;
    /** Forwarded to the node running their shard, by kind; refused (not forwarded), by kind. */
    final AtomicLong receiptsForwarded = new AtomicLong();
    final AtomicLong moForwarded = new AtomicLong();
    final AtomicLong receiptsRefused = new AtomicLong();
    final AtomicLong moRefused = new AtomicLong();

    /**
     * @param local   the recorder of a shard's core while it runs here, else null
     * @param forward puts a record on a shard's partition of the inbound topic (completes once Kafka has it)
     */
    ShardInbound(int shards, String defaultCountryCode, IntFunction<ReceiptRecorder> local,
                 java.util.function.BiFunction<Integer, byte[], CompletableFuture<Void>> forward) {
        this.shards = shards;
        this.defaultCountryCode = defaultCountryCode;
        this.local = local;
        this.forward = forward;
    }

    /** Hands a record of the inbound topic to {@code recorder} (its shard's): completes once journaled. */
    static CompletableFuture<Void> deliver(byte[] value, ReceiptRecorder recorder) {
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (java.io.IOException e) {
            LOG.error("unreadable record on the inbound topic, left out: {}", e.toString());
            return CompletableFuture.completedFuture(null);
        }
        String op = n.path("operator").asText();
        String bind = n.path("bind").asText();
        String kind = n.path("kind").asText();
        if (op.isEmpty() || !(kind.equals("receipt") && n.hasNonNull("smsc_id") || kind.equals("mo") && n.hasNonNull("from"))) {
            LOG.error("a record on the inbound topic that is neither a receipt nor a handset message, left out: {}", n);
            return CompletableFuture.completedFuture(null); // read again it would hold up every record after it
        }
        if (kind.equals("receipt")) {
            return recorder.onReceipt(op, bind, new DeliveryReport(n.path("smsc_id").asText(), text(n, "stat"), text(n, "err"),
                    n.hasNonNull("submit_date") ? n.get("submit_date").asLong() : null, n.hasNonNull("done_date") ? n.get("done_date").asLong() : null,
                    text(n, "handset")));
        }
        Concat part = n.has("parts") ? new Concat(n.get("ref").asInt(), n.get("parts").asInt(), n.get("seq").asInt()) : null;
        return recorder.onMo(op, bind, text(n, "from"), text(n, "to"), text(n, "text"), part);
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private CompletableFuture<Void> elsewhere(int shard, com.fasterxml.jackson.databind.node.ObjectNode record, AtomicLong forwarded,
                                              AtomicLong refused) {
        CompletableFuture<Void> sent;
        try {
            sent = forward.apply(shard, JSON.writeValueAsBytes(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, e) -> {
            if (e == null) {
                forwarded.incrementAndGet();
            } else {
                refused.incrementAndGet();
                LOG.warn("a {} for shard {} could not be forwarded to the node running it ({}): answered for a later try",
                        record.path("kind").asText(), shard, e.toString());
            }
        });
    }

    /** The shard of a number as an SMSC writes it ({@code 336...}, {@code +336...}, national {@code 06...}). */
    int shardOf(String number) {
        String n = PhoneNumbers.international(number, defaultCountryCode); // no exception per receipt for an odd form
        return Shards.of(n != null ? n : number, shards); // a short code or an odd form: its digits as they are
    }

    @Override
    public CompletableFuture<Void> onReceipt(String operator, String bind, DeliveryReport report) {
        if (report.handset() == null || report.handset().isBlank()) {
            receiptsRefused.incrementAndGet();
            LOG.warn("[op:{}] [bind:{}] receipt for {} without a source address: no shard to give it to", operator, bind, report.smscId());
            return CompletableFuture.failedFuture(new IllegalStateException("receipt without the recipient's number"));
        }
        int shard = shardOf(report.handset());
        ReceiptRecorder r = local.apply(shard);
        if (r == null) {
            var n = JSON.createObjectNode().put("kind", "receipt").put("operator", operator).put("bind", bind).put("smsc_id", report.smscId())
                    .put("stat", report.stat()).put("err", report.err()).put("submit_date", report.submitDate()).put("done_date", report.doneDate())
                    .put("handset", report.handset());
            return elsewhere(shard, n, receiptsForwarded, receiptsRefused);
        }
        return r.onReceipt(operator, bind, report);
    }

    @Override
    public CompletableFuture<Void> onMo(String operator, String bind, String from, String to, String text, Concat part) {
        int shard = from == null || from.isBlank() ? 0 : shardOf(from);
        ReceiptRecorder r = local.apply(shard);
        if (r == null) {
            var n = JSON.createObjectNode().put("kind", "mo").put("operator", operator).put("bind", bind).put("from", from).put("to", to)
                    .put("text", text);
            if (part != null) {
                n.put("ref", part.ref()).put("parts", part.parts()).put("seq", part.seq());
            }
            return elsewhere(shard, n, moForwarded, moRefused);
        }
        return r.onMo(operator, bind, from, to, text, part);
    }
}
