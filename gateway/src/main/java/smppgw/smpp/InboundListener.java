package smppgw.smpp;

import java.util.concurrent.CompletableFuture;

/**
 * Where receipts and handset messages go. The deliver_sm is acknowledged when the future completes
 * (after the store has it), or answered ESME_RX_T_APPN so the SMSC sends it again if it fails.
 */
public interface InboundListener {
    CompletableFuture<Void> onReceipt(String operator, String bind, DeliveryReport report);

    /** A message from a handset; {@code part} is set when it is one part of a concatenated message. */
    CompletableFuture<Void> onMo(String operator, String bind, String from, String to, String text, smppgw.protocol.Concat part);
}
