package smppgw.model;

/**
 * Handset numbers as SMSCs write them, brought to the E.164 form intake writes destinations in, so the number a
 * message went to, the number a reply or a STOP comes from and the suppression list agree. One place for it: the
 * receipt path (opt-outs) and the reply matching use the same reading.
 */
public final class PhoneNumber {
    private PhoneNumber() {
    }

    /**
     * {@code +33612345678} for {@code +33612345678}, {@code 0033612345678}, {@code 33612345678} (8 to 15 digits: the
     * SMSC left out the '+') and, with a default country code, {@code 0612345678}; anything else (a short code, a
     * name) as it came.
     */
    public static String handset(String raw, String defaultCountryCode) {
        if (raw == null) {
            return null;
        }
        String s = raw.strip();
        String digits;
        if (s.startsWith("+")) {
            digits = s.substring(1);
        } else if (s.startsWith("00")) {
            digits = s.substring(2);
        } else if (s.startsWith("0") && defaultCountryCode != null && !defaultCountryCode.isEmpty()) {
            digits = defaultCountryCode + s.substring(1);
        } else {
            digits = s;
        }
        if (isDigits(digits) && digits.length() >= 8 && digits.length() <= 15 && digits.charAt(0) != '0') {
            return "+" + digits;
        }
        return s;
    }

    public static String stripPlus(String s) {
        return s.startsWith("+") ? s.substring(1) : s;
    }

    public static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
