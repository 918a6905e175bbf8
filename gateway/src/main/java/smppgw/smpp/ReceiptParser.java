package smppgw.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.tlv.Tlv;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads delivery receipts the way SMSCs actually send them. The {@code receipted_message_id} and
 * {@code message_state} TLVs win when present; otherwise the SMPP 3.4 Appendix B text
 * {@code id:... sub:... dlvrd:... submit date:YYMMDDhhmm[ss] done date:... stat:... err:... text:...},
 * with keys in any case and dates of 10, 12 or 14 digits.
 */
public final class ReceiptParser {
    private static final String[] MESSAGE_STATES = {
        null, "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD"};

    private ReceiptParser() {
    }

    /** True when a deliver_sm/data_sm is a receipt rather than a message from a handset. */
    public static boolean isReceipt(BaseSm<?> pdu) {
        int type = pdu.getEsmClass() & 0x3C;
        return type == 0x04 || type == 0x08 || type == 0x10 || type == 0x20
                || pdu.getOptionalParameter(SmppConstants.TAG_RECEIPTED_MSG_ID) != null;
    }

    /** Parses a receipt PDU; null if it names no message id at all. */
    public static DeliveryReport parse(BaseSm<?> pdu) {
        String text = pdu.getShortMessage() == null ? "" : new String(pdu.getShortMessage(), StandardCharsets.ISO_8859_1);
        Tlv payload = pdu.getOptionalParameter(SmppConstants.TAG_MESSAGE_PAYLOAD);
        if (text.isEmpty() && payload != null) {
            text = new String(payload.getValue(), StandardCharsets.ISO_8859_1);
        }
        DeliveryReport fromText = parse(text);
        String id = fromText == null ? null : fromText.smscId();
        String stat = fromText == null ? null : fromText.stat();
        String err = fromText == null ? null : fromText.err();
        Tlv receipted = pdu.getOptionalParameter(SmppConstants.TAG_RECEIPTED_MSG_ID);
        if (receipted != null && receipted.getLength() > 0) {
            id = cString(receipted.getValue());
        }
        Tlv state = pdu.getOptionalParameter(SmppConstants.TAG_MSG_STATE);
        if (state != null && state.getLength() == 1) {
            int s = state.getValue()[0] & 0xFF;
            if (s < MESSAGE_STATES.length && MESSAGE_STATES[s] != null) {
                stat = MESSAGE_STATES[s];
            }
        }
        Tlv network = pdu.getOptionalParameter(SmppConstants.TAG_NETWORK_ERROR_CODE);
        if (err == null && network != null && network.getLength() == 3) {
            byte[] v = network.getValue();
            err = String.format("%03d", ((v[1] & 0xFF) << 8) | (v[2] & 0xFF));
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        return new DeliveryReport(id, stat == null ? "UNKNOWN" : stat, err,
                fromText == null ? null : fromText.submitDate(), fromText == null ? null : fromText.doneDate());
    }

    /** Parses receipt text alone; null if there is no {@code id:}. */
    public static DeliveryReport parse(String text) {
        int t = key(text, "text:", 0);
        String head = t >= 0 ? text.substring(0, t) : text; // the quoted text may contain "id:"
        String id = value(head, "id:");
        if (id == null) {
            return null;
        }
        String stat = letters(value(head, "stat:"));
        String submit = value(head, "submit date:");
        String done = value(head, "done date:");
        return new DeliveryReport(id, stat == null || stat.isEmpty() ? null : stat.toUpperCase(Locale.ROOT), value(head, "err:"),
                date(submit == null ? value(head, "submit_date:") : submit), date(done == null ? value(head, "done_date:") : done));
    }

    /** Where {@code key} starts (any case), at the start or after white space; -1 if absent. */
    private static int key(String s, String key, int from) {
        for (int i = from; i + key.length() <= s.length(); i++) {
            if ((i == 0 || Character.isWhitespace(s.charAt(i - 1))) && s.regionMatches(true, i, key, 0, key.length())) {
                return i;
            }
        }
        return -1;
    }

    /** The word after {@code key}: spaces skipped, up to the next white space; null if the key is absent. */
    private static String value(String s, String key) {
        int i = key(s, key, 0);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        while (start < s.length() && s.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return end > start ? s.substring(start, end) : null;
    }

    private static String letters(String s) {
        if (s == null) {
            return null;
        }
        int n = 0;
        while (n < s.length() && Character.isLetter(s.charAt(n))) {
            n++;
        }
        return s.substring(0, n);
    }

    /** YYMMDDhhmm, YYMMDDhhmmss or YYYYMMDDhhmmss, read as UTC; null if absent or impossible. */
    static Long date(String s) {
        if (s == null || (s.length() != 10 && s.length() != 12 && s.length() != 14)) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try { // digits read in place: once per receipt, no substrings
            int off = s.length() == 14 ? 2 : 0;
            int year = s.length() == 14 ? num(s, 0) * 100 + num(s, 2) : 2000 + num(s, 0);
            int month = num(s, 2 + off);
            int day = num(s, 4 + off);
            int hour = num(s, 6 + off);
            int minute = num(s, 8 + off);
            int second = s.length() >= 12 ? num(s, 10 + off) : 0;
            if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
                return null;
            }
            return (java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second) * 1000L;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int num(String s, int at) {
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }

    private static String cString(byte[] v) {
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.ISO_8859_1).trim();
    }
}
