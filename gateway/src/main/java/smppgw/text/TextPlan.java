package smppgw.text;

import java.util.List;

/**
 * How a text will travel to a carrier: alphabet, parts, and how much room is used and left in them.
 *
 * @param units     septets (GSM 03.38, extension characters count two) or UTF-16 units (UCS-2)
 * @param remaining units still free in the last part before another part is needed
 */
public record TextPlan(boolean gsm, List<String> parts, int units, int remaining) {

    /** Plans {@code text}; {@code forceUcs2} when the integrator asked for UCS-2 even though GSM would do. */
    public static TextPlan of(String text, boolean forceUcs2, Segments.Concatenation c) {
        boolean gsm = !forceUcs2 && Gsm7.septets(text) >= 0;
        int units = gsm ? Gsm7.septets(text) : text.length();
        List<String> parts = Segments.split(text, gsm, c);
        int single = gsm ? 160 : 70;
        int capacity = parts.size() == 1 ? single : parts.size() * Segments.perPart(gsm, c);
        return new TextPlan(gsm, parts, units, Math.max(0, capacity - units));
    }

    public int segments() {
        return parts.size();
    }

    public String encoding() {
        return gsm ? "gsm7" : "ucs2";
    }
}
