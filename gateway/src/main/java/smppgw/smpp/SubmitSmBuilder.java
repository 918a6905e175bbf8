package smppgw.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import com.cloudhopper.smpp.type.SmppInvalidArgumentException;

import java.nio.ByteBuffer;

import smppgw.config.OperatorConfig.EncodingConfig;
import smppgw.model.Message;
import smppgw.text.Segments;
import smppgw.text.TextPlan;

/**
 * Builds the submit_sm for a message, or for one part of it: addresses with the TON/NPI their form calls
 * for, the text in GSM 03.38 or UCS-2 as the operator wants it coded and cut (UDH with an 8 or 16-bit
 * reference, SAR TLVs, or message_payload), and a delivery receipt always requested. The concatenation
 * reference comes from the message id, so a part sent again carries the same one.
 */
public final class SubmitSmBuilder {
    private SubmitSmBuilder() {
    }

    public static TextPlan plan(Message m, EncodingConfig enc) {
        return TextPlan.of(m.text(), m.forceUcs2(), enc.concatenation());
    }

    /** Part {@code part} (1-based) of {@code plan.segments()}. */
    public static SubmitSm build(Message m, EncodingConfig enc, TextPlan plan, int part) throws SmppInvalidArgumentException {
        return build(m, enc, plan, part, -1);
    }

    /**
     * With {@code now} (epoch ms; -1: none), a message with a validity carries what is left of it as validity_period
     * (relative), so the carrier stops trying when the integrator's deadline passes.
     */
    public static SubmitSm build(Message m, EncodingConfig enc, TextPlan plan, int part, long now) throws SmppInvalidArgumentException {
        SubmitSm sm = new SubmitSm();
        if (now >= 0 && m.expiresAt() != null && m.expiresAt() > now) {
            sm.setValidityPeriod(smppgw.protocol.SmppTime.relative(java.time.Duration.ofMillis(m.expiresAt() - now)));
        }
        sm.setSourceAddress(source(m.from()));
        sm.setDestAddress(new Address(SmppConstants.TON_INTERNATIONAL, SmppConstants.NPI_E164, digits(m.to())));
        sm.setRegisteredDelivery(SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED);
        sm.setDataCoding(plan.gsm() ? (byte) enc.gsmDataCoding() : (byte) 0x08);
        int total = plan.segments();
        String text = plan.parts().get(part - 1);
        int ref = m.id().hashCode();
        if (total == 1) {
            byte[] body = Segments.body(new byte[0], text, plan.gsm(), enc.packed());
            if (body.length <= 254) {
                sm.setShortMessage(body);
            } else { // payload mode with a long text
                sm.setShortMessage(new byte[0]);
                sm.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, body));
            }
            return sm;
        }
        switch (enc.concatenation()) {
            case UDH8, UDH16 -> {
                sm.setEsmClass(SmppConstants.ESM_CLASS_UDHI_MASK);
                int r = enc.concatenation() == Segments.Concatenation.UDH8 ? ref & 0xFF : ref & 0xFFFF;
                sm.setShortMessage(Segments.body(Segments.udh(enc.concatenation(), r, total, part), text, plan.gsm(), enc.packed()));
            }
            case SAR -> {
                sm.setShortMessage(Segments.body(new byte[0], text, plan.gsm(), enc.packed()));
                sm.addOptionalParameter(new Tlv(SmppConstants.TAG_SAR_MSG_REF_NUM, ByteBuffer.allocate(2).putShort((short) ref).array()));
                sm.addOptionalParameter(new Tlv(SmppConstants.TAG_SAR_TOTAL_SEGMENTS, new byte[] {(byte) total}));
                sm.addOptionalParameter(new Tlv(SmppConstants.TAG_SAR_SEGMENT_SEQNUM, new byte[] {(byte) part}));
            }
            default -> throw new IllegalStateException("payload mode has one part");
        }
        return sm;
    }

    /**
     * {@code +33612345678}: international, E.164. All digits (a short code such as {@code 36111}):
     * network-specific, unknown plan. Anything else is an alphanumeric sender id: TON 5, NPI 0.
     */
    /** A query_sm about a message the SMSC took under {@code smscId}, with the source address it was submitted with. */
    public static com.cloudhopper.smpp.pdu.QuerySm query(String smscId, String from) {
        com.cloudhopper.smpp.pdu.QuerySm q = new com.cloudhopper.smpp.pdu.QuerySm();
        q.setMessageId(smscId);
        q.setSourceAddress(source(from == null ? "" : from));
        return q;
    }

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
