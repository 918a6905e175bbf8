package smppgw.protocol;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;

import java.util.Arrays;

/** Concatenation headers of incoming submit_sm / deliver_sm parts. */
public final class Concats {
    private Concats() {
    }

    /** The concatenation header of an MO part: UDH IE 0x00 / 0x08, or SAR TLVs; null for a whole message. */
    public static smppgw.protocol.Concat of(BaseSm<?> sm) {
        byte[] b = sm.getShortMessage();
        if ((sm.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK) != 0 && b != null && b.length > 1) {
            int udhl = b[0] & 0xFF;
            for (int i = 1; i + 1 < Math.min(b.length, udhl + 1); ) {
                int iei = b[i] & 0xFF;
                int len = b[i + 1] & 0xFF;
                if (iei == 0x00 && len == 3 && i + 4 < b.length) {
                    return new smppgw.protocol.Concat(b[i + 2] & 0xFF, b[i + 3] & 0xFF, b[i + 4] & 0xFF);
                }
                if (iei == 0x08 && len == 4 && i + 5 < b.length) {
                    return new smppgw.protocol.Concat(((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF), b[i + 4] & 0xFF, b[i + 5] & 0xFF);
                }
                i += 2 + len;
            }
        }
        Tlv ref = sm.getOptionalParameter(SmppConstants.TAG_SAR_MSG_REF_NUM);
        Tlv total = sm.getOptionalParameter(SmppConstants.TAG_SAR_TOTAL_SEGMENTS);
        Tlv seq = sm.getOptionalParameter(SmppConstants.TAG_SAR_SEGMENT_SEQNUM);
        if (ref != null && total != null && seq != null && ref.getLength() == 2 && total.getLength() == 1 && seq.getLength() == 1) {
            byte[] r = ref.getValue();
            return new smppgw.protocol.Concat(((r[0] & 0xFF) << 8) | (r[1] & 0xFF), total.getValue()[0] & 0xFF, seq.getValue()[0] & 0xFF);
        }
        return null;
    }

    /** short_message without its user data header (when esm_class says there is one). */
    public static byte[] withoutUdh(BaseSm<?> sm) {
        byte[] b = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
        if ((sm.getEsmClass() & SmppConstants.ESM_CLASS_UDHI_MASK) != 0 && b.length > 0) {
            int udhl = b[0] & 0xFF;
            return udhl + 1 <= b.length ? Arrays.copyOfRange(b, udhl + 1, b.length) : new byte[0];
        }
        return b;
    }
}
