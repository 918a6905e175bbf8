package smppgw.text;

import java.nio.charset.StandardCharsets;

/**
 * A text in the alphabet it will travel in: GSM 03.38 (unpacked septets, extension characters take two)
 * when every character fits, else UCS-2. Segment counts follow 160/153 septets and 70/67 UCS-2 units.
 *
 * @param dataCoding SMPP data_coding: 0x00 (SMSC default alphabet, GSM) or 0x08 (UCS-2)
 * @param units      septets (GSM) or UTF-16 code units (UCS-2)
 */
public record EncodedText(byte dataCoding, byte[] bytes, int units, int segments) {
    public static final byte GSM = 0x00;
    public static final byte UCS2 = 0x08;

    public static EncodedText of(String text) {
        int septets = Gsm7.septets(text);
        if (septets >= 0) {
            return new EncodedText(GSM, Gsm7.encode(text), septets, segments(septets, 160, 153));
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_16BE);
        return new EncodedText(UCS2, b, b.length / 2, segments(b.length / 2, 70, 67));
    }

    /** Encoding and segment count without building the bytes. */
    public static Measure measure(String text) {
        int septets = Gsm7.septets(text);
        return septets >= 0 ? new Measure(true, septets, segments(septets, 160, 153))
                : new Measure(false, text.length(), segments(text.length(), 70, 67));
    }

    /** What {@link #measure} tells: alphabet, units (septets or UTF-16 units) and segments. */
    public record Measure(boolean gsm, int units, int segments) {
    }

    public boolean isGsm() {
        return dataCoding == GSM;
    }

    private static int segments(int units, int single, int perPart) {
        return units <= single ? 1 : (units + perPart - 1) / perPart;
    }
}
