package smppgw.model;

/**
 * A delivery receipt as it came off a bind, before it is matched to a message.
 *
 * @param operator   the operator whose bind received it (SMSC ids are unique per operator only)
 * @param smscId     the id the receipt names, as written
 * @param stat       DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ACCEPTD, ENROUTE
 * @param receivedAt epoch milliseconds
 * @param handset    the receipt's source address: the number the message went to, as the SMSC writes it (null: not
 *                   known, as in receipts journaled by earlier versions). A reading of the id that names a message to
 *                   another number is not this receipt's message.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Receipt(String operator, String bind, String smscId, String stat, String err, Long submitDate,
                      Long doneDate, long receivedAt, String handset) {
    public Receipt(String operator, String bind, String smscId, String stat, String err, Long submitDate, Long doneDate, long receivedAt) {
        this(operator, bind, smscId, stat, err, submitDate, doneDate, receivedAt, null);
    }

    /**
     * Whether the receipt can be about a message to {@code to}: its source address, when it has one, is the same number
     * (compared on the last 8 digits, so national and international spellings agree).
     */
    public boolean couldBeFor(String to) {
        if (handset == null || to == null) {
            return true;
        }
        String a = digits(handset);
        String b = digits(to);
        if (a.length() < 6 || b.length() < 6) {
            return true; // a short code or a name: nothing to compare
        }
        int n = Math.min(8, Math.min(a.length(), b.length()));
        return a.regionMatches(a.length() - n, b, b.length() - n, n);
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
