package smppgw.text;

import java.util.Arrays;

/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table. A character of the default
 * alphabet takes one septet; one of the extension table ({@code € [ ] { } | ^ ~ \} and form feed) takes two,
 * the escape 0x1B then its code. Lookups are by table, no allocation to count.
 */
public final class Gsm7 {
    public static final int ESCAPE = 0x1B;

    /** Septet value → character, the default alphabet (0x1B is the escape, shown as NBSP in 23.038). */
    private static final char[] BASIC = (
            "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001BÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").toCharArray();

    private static final char[] EXT_CHARS = {'\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'};
    private static final int[] EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    /** Character (below 0x2100) → septet; -1 not in the default alphabet. */
    private static final byte[] TO_BASIC = new byte[0x2100];
    /** Character → extension code; 0 if none. */
    private static final byte[] TO_EXT = new byte[0x2100];
    /** Extension code → character; 0 if none. */
    private static final char[] FROM_EXT = new char[128];

    static {
        if (BASIC.length != 128) {
            throw new AssertionError("GSM table has " + BASIC.length + " entries");
        }
        Arrays.fill(TO_BASIC, (byte) -1);
        for (int i = 0; i < 128; i++) {
            if (i != ESCAPE) {
                TO_BASIC[BASIC[i]] = (byte) i;
            }
        }
        for (int i = 0; i < EXT_CHARS.length; i++) {
            TO_EXT[EXT_CHARS[i]] = (byte) EXT_CODES[i];
            FROM_EXT[EXT_CODES[i]] = EXT_CHARS[i];
        }
    }

    private Gsm7() {
    }

    /** Septets for one character: 1, 2 (extension table), or -1 if GSM 03.38 cannot carry it. */
    public static int septets(char c) {
        if (c < TO_BASIC.length) {
            if (TO_BASIC[c] >= 0) {
                return 1;
            }
            if (TO_EXT[c] != 0) {
                return 2;
            }
        }
        return -1;
    }

    /** Septets for the whole text, or -1 if any character does not fit. */
    public static int septets(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            int k = septets(s.charAt(i));
            if (k < 0) {
                return -1;
            }
            n += k;
        }
        return n;
    }

    /** One septet per byte (the "unpacked" form most SMSCs take in short_message); the text must fit. */
    public static byte[] encode(CharSequence s) {
        byte[] out = new byte[septets(s)];
        int j = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (TO_BASIC[c] >= 0) {
                out[j++] = TO_BASIC[c];
            } else {
                out[j++] = ESCAPE;
                out[j++] = TO_EXT[c];
            }
        }
        return out;
    }

    /** Unpacked septets back to text; an unknown extension code reads as its basic character (23.038 §6.2.1.1). */
    public static String decode(byte[] septets) {
        StringBuilder b = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int v = septets[i] & 0x7F;
            if (v == ESCAPE && i + 1 < septets.length) {
                int e = septets[++i] & 0x7F;
                char c = FROM_EXT[e];
                b.append(c != 0 ? c : BASIC[e]);
            } else if (v != ESCAPE) {
                b.append(BASIC[v]);
            }
        }
        return b.toString();
    }

    /** Packs septets 8 to 7 bytes, least significant bits first (23.038 §6.1.2.1.1). */
    public static byte[] pack(byte[] septets, int fillBits) {
        int bits = septets.length * 7 + fillBits;
        byte[] out = new byte[(bits + 7) / 8];
        int pos = fillBits;
        for (byte s : septets) {
            int v = s & 0x7F;
            int byteIndex = pos / 8;
            int shift = pos % 8;
            out[byteIndex] |= (byte) (v << shift);
            if (shift > 1) {
                out[byteIndex + 1] |= (byte) (v >> (8 - shift));
            }
            pos += 7;
        }
        return out;
    }

    /** Unpacks {@code count} septets packed after {@code fillBits} padding bits. */
    public static byte[] unpack(byte[] packed, int count, int fillBits) {
        byte[] out = new byte[count];
        int pos = fillBits;
        for (int i = 0; i < count; i++) {
            int byteIndex = pos / 8;
            int shift = pos % 8;
            int v = (packed[byteIndex] & 0xFF) >> shift;
            if (shift > 1 && byteIndex + 1 < packed.length) {
                v |= (packed[byteIndex + 1] & 0xFF) << (8 - shift);
            }
            out[i] = (byte) (v & 0x7F);
            pos += 7;
        }
        return out;
    }
}
