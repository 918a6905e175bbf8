package smppgw.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into the parts that travel as separate submit_sm and that the handset joins again: up to
 * 160 septets (GSM 03.38) or 70 UTF-16 units (UCS-2) in one part; more and each part holds 153 / 67 (152 /
 * 66 with a 16-bit reference) after its concatenation header. A cut never separates an extension
 * character from its escape, nor the two halves of a surrogate pair (an emoji).
 */
public final class Segments {
    /** How concatenated parts are marked: UDH with an 8-bit or 16-bit reference, SAR TLVs, or one message_payload. */
    public enum Concatenation { UDH8, UDH16, SAR, PAYLOAD }

    private Segments() {
    }

    /** The parts of {@code text} as strings, for GSM 03.38 or UCS-2. */
    public static List<String> split(String text, boolean gsm, Concatenation c) {
        int single = gsm ? 160 : 70;
        int units = gsm ? Gsm7.septets(text) : text.length();
        if (units <= single || c == Concatenation.PAYLOAD) {
            return List.of(text);
        }
        int per = perPart(gsm, c);
        List<String> parts = new ArrayList<>();
        int start = 0;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            int cost = gsm ? Gsm7.septets(ch) : (Character.isHighSurrogate(ch) && i + 1 < text.length() ? 2 : 1);
            if (used + cost > per) {
                parts.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += cost;
            if (!gsm && cost == 2) {
                i++; // the low surrogate travels with its high one
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** Septets or UTF-16 units per part of a concatenated message. */
    public static int perPart(boolean gsm, Concatenation c) {
        int header = c == Concatenation.UDH16 ? 7 : c == Concatenation.UDH8 ? 6 : 0;
        if (gsm) {
            return 160 - (header * 8 + 6) / 7; // header bits rounded up to whole septets: 6 bytes → 7, 7 bytes → 8
        }
        return (140 - header) / 2;
    }

    /** The parts a text needs under a concatenation mode (1 if it fits in one). */
    public static int count(String text, boolean gsm, Concatenation c) {
        return split(text, gsm, c).size();
    }

    /**
     * The user data header of part {@code seq} of {@code total}: IEI 0x00 (8-bit reference) or 0x08
     * (16-bit), 3GPP TS 23.040 §9.2.3.24.1 / .8.
     */
    public static byte[] udh(Concatenation c, int ref, int total, int seq) {
        if (c == Concatenation.UDH16) {
            return new byte[] {0x06, 0x08, 0x04, (byte) (ref >> 8), (byte) ref, (byte) total, (byte) seq};
        }
        return new byte[] {0x05, 0x00, 0x03, (byte) ref, (byte) total, (byte) seq};
    }

    /**
     * The short_message bytes of one part: header (if any) then the text, GSM as one septet per byte or
     * packed after the header's fill bits, UCS-2 big-endian.
     */
    public static byte[] body(byte[] header, String part, boolean gsm, boolean packed) {
        byte[] text;
        if (!gsm) {
            text = part.getBytes(StandardCharsets.UTF_16BE);
        } else if (packed) {
            int fill = header.length == 0 ? 0 : (7 - (header.length * 8) % 7) % 7;
            text = Gsm7.pack(Gsm7.encode(part), fill);
        } else {
            text = Gsm7.encode(part);
        }
        byte[] out = new byte[header.length + text.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(text, 0, out, header.length, text.length);
        return out;
    }
}
