package smppgw.sim;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A deliver_sm the simulator owes a system id: a receipt or an MO. Kept until acknowledged; a fresh PDU
 * is built for each attempt so a resend gets a new sequence number.
 */
final class Outbound implements Delayed {
    final String systemId;
    final boolean receipt;
    final String source;
    final String dest;
    final String text;
    final String receiptId;
    final int messageState;
    final long dueAt;
    final int attempt;

    private Outbound(String systemId, boolean receipt, String source, String dest, String text, String receiptId,
                     int messageState, long dueAt, int attempt) {
        this.systemId = systemId;
        this.receipt = receipt;
        this.source = source;
        this.dest = dest;
        this.text = text;
        this.receiptId = receiptId;
        this.messageState = messageState;
        this.dueAt = dueAt;
        this.attempt = attempt;
    }

    static Outbound receipt(String systemId, String handset, String sender, String body, String receiptId, int state, long dueAt) {
        return new Outbound(systemId, true, handset, sender, body, receiptId, state, dueAt, 1);
    }

    static Outbound mo(String systemId, String handset, String sender, String text, long dueAt) {
        return new Outbound(systemId, false, handset, sender, text, null, 0, dueAt, 1);
    }

    Outbound retryAt(long at) {
        return new Outbound(systemId, receipt, source, dest, text, receiptId, messageState, at, attempt + 1);
    }

    DeliverSm toPdu(boolean tlvs) throws SmppInvalidArgumentException {
        DeliverSm d = new DeliverSm();
        d.setSourceAddress(new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164, source));
        d.setDestAddress(address(dest));
        if (receipt) {
            d.setEsmClass(SmppConstants.ESM_CLASS_MT_SMSC_DELIVERY_RECEIPT);
            d.setShortMessage(text.getBytes(StandardCharsets.ISO_8859_1));
            if (tlvs) {
                byte[] id = (receiptId + "\0").getBytes(StandardCharsets.ISO_8859_1);
                d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID, id));
                d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {(byte) messageState}));
            }
        } else {
            smppgw.text.EncodedText t = smppgw.text.EncodedText.of(text);
            d.setDataCoding(t.dataCoding());
            d.setShortMessage(t.bytes());
        }
        return d;
    }

    private static Address address(String a) {
        if (!a.isEmpty() && a.chars().allMatch(Character::isDigit)) {
            return new Address(a.length() > 8 ? SmppConstants.TON_INTERNATIONAL : SmppConstants.TON_NETWORK,
                    a.length() > 8 ? SmppConstants.NPI_E164 : SmppConstants.NPI_UNKNOWN, a);
        }
        return new Address(SmppConstants.TON_ALPHANUMERIC, SmppConstants.NPI_UNKNOWN, a);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(dueAt - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        return Long.compare(dueAt, ((Outbound) o).dueAt);
    }
}
