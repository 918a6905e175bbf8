package smppgw.intake;

/**
 * Brings what integrators send to E.164 ({@code +33612345678}): spaces, dots, dashes and brackets go;
 * {@code 0033...} is international; with a default country code, {@code 33...} gains its '+' and a
 * national {@code 06...} gains the country code. Anything else is refused with the reason.
 */
public final class PhoneNumbers {
    private PhoneNumbers() {
    }

    /** The E.164 form of {@code raw}, or an {@link InvalidRequestException} naming {@code field}. */
    public static String normalize(String field, String raw, String defaultCountryCode) {
        if (raw == null || raw.isBlank()) {
            throw InvalidRequestException.field(field, field + " is required");
        }
        String s = withoutSeparators(raw);
        String digits = international(s, defaultCountryCode);
        if (digits == null) {
            throw InvalidRequestException.field(field, field + " '" + raw + "' is not an international number: write it as +"
                    + (defaultCountryCode.isEmpty() ? "<country code><number>" : defaultCountryCode + "...")
                    + (defaultCountryCode.isEmpty() ? " (or set default-country-code)" : ""));
        }
        if (!allDigits(digits)) {
            throw InvalidRequestException.field(field, field + " '" + raw + "' has characters that are not digits");
        }
        if (digits.length() < 8 || digits.length() > 15 || digits.charAt(0) == '0') {
            throw InvalidRequestException.field(field, field + " '" + raw + "' is not an E.164 number (8 to 15 digits after '+', no leading 0)");
        }
        return "+" + digits;
    }

    /**
     * What follows the '+' of {@code s}'s international form ({@code +33...}, {@code 0033...}, with a default country code
     * {@code 06...} and {@code 33...}), not yet checked to be digits; null when it has no international form.
     */
    public static String international(String s, String defaultCountryCode) {
        if (s.startsWith("+")) {
            return s.substring(1);
        } else if (s.startsWith("00")) {
            return s.substring(2);
        } else if (!defaultCountryCode.isEmpty() && s.startsWith("0")) {
            return defaultCountryCode + s.substring(1);
        } else if (!defaultCountryCode.isEmpty() && s.startsWith(defaultCountryCode)) {
            return s;
        }
        return null;
    }

    /**
     * A sender: an E.164 number, a short code of 3 to 8 digits, or an alphanumeric sender id of up to 11
     * characters (letters, digits, space and {@code . - _ & '}) with at least one letter.
     */
    public static String sender(String raw, String defaultCountryCode) {
        if (raw == null || raw.isBlank()) {
            throw InvalidRequestException.field("from", "from is required");
        }
        String s = raw.strip();
        boolean digits = allDigits(s);
        if (s.startsWith("+") || (digits && s.length() > 8)) {
            return normalize("from", s, defaultCountryCode);
        }
        if (digits) {
            if (s.length() < 3) {
                throw InvalidRequestException.field("from", "from '" + raw + "' is too short for a short code (3 to 8 digits)");
            }
            return s;
        }
        if (s.length() > 11) {
            throw InvalidRequestException.field("from", "from '" + raw + "' is longer than 11 characters, the limit for an alphanumeric sender id");
        }
        if (!alphanumericSender(s)) {
            throw InvalidRequestException.field("from", "from '" + raw + "' must be a number, a short code, or letters and digits (A-Z, 0-9, space . - _ & ')");
        }
        return s;
    }

    /** The number without white space and the separators people write ({@code . - ( ) /}): no regex per call, on the hot path. */
    private static String withoutSeparators(String raw) {
        StringBuilder b = null;
        int start = 0;
        int end = raw.length();
        while (start < end && Character.isWhitespace(raw.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(raw.charAt(end - 1))) {
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            boolean separator = Character.isWhitespace(c) || c == '.' || c == '-' || c == '(' || c == ')' || c == '/';
            if (separator && b == null) {
                b = new StringBuilder(end - start).append(raw, start, i);
            } else if (!separator && b != null) {
                b.append(c);
            }
        }
        return b != null ? b.toString() : raw.substring(start, end);
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Letters, digits, space and {@code . - _ & '} only, with at least one letter. */
    private static boolean alphanumericSender(String s) {
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
                letter = true;
            } else if (!(c >= '0' && c <= '9' || c == ' ' || c == '.' || c == '-' || c == '_' || c == '&' || c == '\'')) {
                return false;
            }
        }
        return letter;
    }
}
