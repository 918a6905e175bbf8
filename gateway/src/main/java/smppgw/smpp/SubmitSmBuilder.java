package smppgw.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;

import smppgw.store.Message;
import smppgw.text.EncodedText;

/**
 * Builds the submit_sm for a message: addresses with the TON/NPI their form calls for, the text in
 * GSM 03.38 or UCS-2, and a delivery receipt always requested. A text longer than one segment travels in
 * {@code message_payload} (SMPP 3.4 §5.3.2.32) until concatenation by UDH lands.
 */
public final class SubmitSmBuilder {
    private SubmitSmBuilder() {
    }

    public static SubmitSm build(Message m) throws SmppInvalidArgumentException {
        SubmitSm sm = new SubmitSm();
        sm.setSourceAddress(source(m.from()));
        sm.setDestAddress(new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164, digits(m.to())));
        sm.setRegisteredDelivery(SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED);
        EncodedText t = EncodedText.of(m.text());
        sm.setDataCoding(t.dataCoding());
        if (t.segments() == 1) {
            sm.setShortMessage(t.bytes());
        } else {
            sm.setShortMessage(new byte[0]);
            sm.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, t.bytes()));
        }
        return sm;
    }

    /**
     * {@code +33612345678}: international, E.164. All digits (a short code such as {@code 36111}):
     * network-specific, unknown plan. Anything else is an alphanumeric sender id: TON 5, NPI 0.
     */
    static Address source(String from) {
        if (from.startsWith("+")) {
            return new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164, from.substring(1));
        }
        if (!from.isEmpty() && from.chars().allMatch(Character::isDigit)) {
            return new Address(SmppConstants.TON_NETWORK, SmppConstants.NPI_UNKNOWN, from);
        }
        return new Address(SmppConstants.TON_ALPHANUMERIC, SmppConstants.NPI_UNKNOWN, from);
    }

    private static String digits(String e164) {
        return e164.startsWith("+") ? e164.substring(1) : e164;
    }
}
