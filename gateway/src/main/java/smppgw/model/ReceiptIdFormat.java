package smppgw.model;

import java.util.Locale;

/**
 * How an SMSC account's receipts write the message id relative to its submit_sm_resp. Case and leading zeros always
 * fold ({@link SmscIds#canonical}); beyond that an account uses one of these, and a receipt is read only that way once
 * it is known: reading it every possible way is how a receipt lands on the wrong message.
 */
public enum ReceiptIdFormat {
    /** The receipt writes the id as the response did. */
    SAME("same"),
    /** The response gives it in hex, the receipt in decimal. */
    HEX_TO_DEC("hex-to-dec"),
    /** The response gives it in decimal, the receipt in hex. */
    DEC_TO_HEX("dec-to-hex");

    private final String label;

    ReceiptIdFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ReceiptIdFormat ofLabel(String s) {
        for (ReceiptIdFormat f : values()) {
            if (f.label.equals(s.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException(s);
    }

    /** The response id (canonical) a receipt id names in this format, or null when it cannot be read so. */
    public String read(String receiptId) {
        String r = SmscIds.canonical(receiptId);
        return switch (this) {
            case SAME -> r;
            case HEX_TO_DEC -> decimal(r) ? Long.toHexString(Long.parseUnsignedLong(r)) : null;
            case DEC_TO_HEX -> hex(r) ? Long.toUnsignedString(Long.parseUnsignedLong(r, 16)) : null;
        };
    }

    /** The receipt id (canonical) a receipt for a response id carries in this format, or null when there is none. */
    public String written(String responseId) {
        String s = SmscIds.canonical(responseId);
        return switch (this) {
            case SAME -> s;
            case HEX_TO_DEC -> hex(s) ? Long.toUnsignedString(Long.parseUnsignedLong(s, 16)) : null;
            case DEC_TO_HEX -> decimal(s) ? Long.toHexString(Long.parseUnsignedLong(s)) : null;
        };
    }

    /** Decimal digits of a value that fits 64 bits unsigned (no allocation: once or twice per receipt). */
    private static boolean decimal(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        if (s.length() < 20) {
            return true;
        }
        try {
            Long.parseUnsignedLong(s);
            return true;
        } catch (NumberFormatException e) {
            return false; // 2^64 or more
        }
    }

    private static boolean hex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * What an account's receipts have shown of their format: votes from receipts that could name an awaiting message
     * one way only, and once enough agree, the format locked; then receipts that contradict it are counted (many of
     * them unlock it, to learn again). {@code lockedAtIndex}: the journal record that locked it (-1: not locked).
     */
    public record Learning(ReceiptIdFormat locked, long lockedAtIndex, int same, int hexToDec, int decToHex, int contradictions) {
        public static final Learning NONE = new Learning(null, -1, 0, 0, 0, 0);

        public int votes(ReceiptIdFormat f) {
            return switch (f) {
                case SAME -> same;
                case HEX_TO_DEC -> hexToDec;
                case DEC_TO_HEX -> decToHex;
            };
        }

        public Learning vote(ReceiptIdFormat f) {
            return new Learning(locked, lockedAtIndex, same + (f == SAME ? 1 : 0), hexToDec + (f == HEX_TO_DEC ? 1 : 0),
                    decToHex + (f == DEC_TO_HEX ? 1 : 0), contradictions);
        }

        public int total() {
            return same + hexToDec + decToHex;
        }
    }
}
