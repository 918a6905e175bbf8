package smppgw.model;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SMSC message ids as correlation keys. SMSCs disagree with themselves: some give an id in hex in
 * submit_sm_resp and in decimal in the receipt ({@code 39f99dd5} vs {@code 0972660181}), change case, or
 * pad with zeros. {@link #canonical} folds case and leading zeros; {@link #candidates} adds the other
 * base's reading, tried only after the id as written has no match.
 */
public final class SmscIds {
    private static final BigInteger MAX_U64 = BigInteger.ONE.shiftLeft(64);

    private SmscIds() {
    }

    public static String canonical(String id) {
        String s = id.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0') {
            i++;
        }
        return s.substring(i);
    }

    /** The canonical id first, then (all digits) its hex spelling, then (hex digits) its decimal value.
     * The usual swap, hex in the response and decimal in the receipt, is found by the second. */
    public static List<String> candidates(String id) {
        String c = canonical(id);
        List<String> out = new ArrayList<>(3);
        out.add(c);
        if (c.isEmpty() || c.length() > 20) {
            return out;
        }
        if (c.chars().allMatch(Character::isDigit)) {
            BigInteger v = new BigInteger(c);
            String hex = v.toString(16);
            if (v.compareTo(MAX_U64) < 0 && !out.contains(hex)) {
                out.add(hex);
            }
        }
        if (c.length() <= 16 && c.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            String dec = new BigInteger(c, 16).toString();
            if (!out.contains(dec)) {
                out.add(dec);
            }
        }
        return out;
    }
}
