package smppgw.text;

import com.cloudhopper.commons.charset.CharsetUtil;
import com.cloudhopper.commons.charset.GSMCharset;

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
        if (GSMCharset.canRepresent(text)) {
            byte[] b = CharsetUtil.encode(text, CharsetUtil.CHARSET_GSM);
            return new EncodedText(GSM, b, b.length, segments(b.length, 160, 153));
        }
        byte[] b = CharsetUtil.encode(text, CharsetUtil.CHARSET_UCS_2);
        return new EncodedText(UCS2, b, b.length / 2, segments(b.length / 2, 70, 67));
    }

    public boolean isGsm() {
        return dataCoding == GSM;
    }

    private static int segments(int units, int single, int perPart) {
        return units <= single ? 1 : (units + perPart - 1) / perPart;
    }
}
