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
        String s = raw.strip().replaceAll("[\\s.\\-()/]", "");
        String digits;
        if (s.startsWith("+")) {
            digits = s.substring(1);
        } else if (s.startsWith("00")) {
            digits = s.substring(2);
        } else if (!defaultCountryCode.isEmpty() && s.startsWith("0") && !s.startsWith("00")) {
            digits = defaultCountryCode + s.substring(1);
        } else if (!defaultCountryCode.isEmpty() && s.startsWith(defaultCountryCode)) {
            digits = s;
        } else {
            throw InvalidRequestException.field(field, field + " '" + raw + "' is not an international number: write it as +"
                    + (defaultCountryCode.isEmpty() ? "<country code><number>" : defaultCountryCode + "...")
                    + (defaultCountryCode.isEmpty() ? " (or set default-country-code)" : ""));
        }
        if (!digits.chars().allMatch(Character::isDigit)) {
            throw InvalidRequestException.field(field, field + " '" + raw + "' has characters that are not digits");
        }
        if (digits.length() < 8 || digits.length() > 15 || digits.charAt(0) == '0') {
            throw InvalidRequestException.field(field, field + " '" + raw + "' is not an E.164 number (8 to 15 digits after '+', no leading 0)");
        }
        return "+" + digits;
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
        if (s.startsWith("+") || (s.chars().allMatch(Character::isDigit) && s.length() > 8)) {
            return normalize("from", s, defaultCountryCode);
        }
        if (s.chars().allMatch(Character::isDigit)) {
            if (s.length() < 3) {
                throw InvalidRequestException.field("from", "from '" + raw + "' is too short for a short code (3 to 8 digits)");
            }
            return s;
        }
        if (s.length() > 11) {
            throw InvalidRequestException.field("from", "from '" + raw + "' is longer than 11 characters, the limit for an alphanumeric sender id");
        }
        if (!s.matches("[A-Za-z0-9 .\\-_&']+") || s.chars().noneMatch(Character::isLetter)) {
            throw InvalidRequestException.field("from", "from '" + raw + "' must be a number, a short code, or letters and digits (A-Z, 0-9, space . - _ & ')");
        }
        return s;
    }
}
