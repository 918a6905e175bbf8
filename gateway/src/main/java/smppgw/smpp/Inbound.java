package smppgw.smpp;

import smppgw.protocol.Concats;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;
import org.slf4j.Logger;

import smppgw.text.Gsm7;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import smppgw.text.Gsm7;

/** Turns a deliver_sm or data_sm into a receipt or a handset message for the listener. */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    private Inbound() {
    }

    static CompletableFuture<Void> handle(String operator, String bind, BaseSm<?> sm, InboundListener listener) {
        try {
            if (ReceiptParser.isReceipt(sm)) {
                DeliveryReport r = ReceiptParser.parse(sm);
                if (r == null) {
                    LOG.warn("[op:{}] [bind:{}] receipt without a message id, ignored: {}", operator, bind, sm);
                    return CompletableFuture.completedFuture(null);
                }
                return listener.onReceipt(operator, bind, r.withHandset(address(sm.getSourceAddress())));
            }
            String from = address(sm.getSourceAddress());
            String to = address(sm.getDestAddress());
            return listener.onMo(operator, bind, from, to, text(sm), Concats.of(sm));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String address(com.cloudhopper.smpp.type.Address a) {
        if (a == null || a.getAddress() == null) {
            return "";
        }
        String s = a.getAddress();
        return a.getTon() == SmppConstants.TON_INTERNATIONAL && !s.startsWith("+") ? "+" + s : s;
    }

    /** The message text: short_message or message_payload, UDH removed, decoded per data_coding. */
    static String text(BaseSm<?> sm) {
        byte[] b = sm.getShortMessage();
        if ((b == null || b.length == 0)) {
            Tlv payload = sm.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
            b = payload == null ? new byte[0] : payload.getValue();
        }
        if ((sm.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK) != 0 && b.length > 0) {
            int udhl = b[0] & 0xFF;
            b = udhl + 1 <= b.length ? Arrays.copyOfRange(b, udhl + 1, b.length) : new byte[0];
        }
        return switch (sm.getDataCoding() & 0xFF) {
            case 0x08 -> new String(b, StandardCharsets.UTF_16BE);
            case 0x01, 0x03 -> new String(b, StandardCharsets.ISO_8859_1);
            case 0x02, 0x04 -> new String(b, StandardCharsets.ISO_8859_1);
            default -> Gsm7.decode(b);
        };
    }
}
