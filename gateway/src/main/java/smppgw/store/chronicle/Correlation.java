package smppgw.store.chronicle;

import smppgw.store.Event;
import smppgw.store.Receipt;

/**
 * What a receipt-correlation entry names: a message id, or for a part of a concatenated message
 * {@code id NUL part/parts}, so a receipt becomes an event of the right part; then {@code SOH} and the
 * epoch millis of the SUBMITTED event, for the submit→receipt latency (entries written before it have none).
 */
final class Correlation {
    private Correlation() {
    }

    static String target(String id, Event submitted) {
        return submitted.part() == null ? id : id + '\u0000' + submitted.part() + '/' + submitted.parts();
    }

    /** The stored value: target and when the part was submitted. */
    static String value(String target, long submittedAt) {
        return target + '\u0001' + submittedAt;
    }

    /** The target of a stored value ({@code id} or {@code id NUL part/parts}). */
    static String targetOf(String value) {
        int soh = value.indexOf('\u0001');
        return soh < 0 ? value : value.substring(0, soh);
    }

    /** When the part was submitted, or -1 for an entry that does not say. */
    static long submittedAt(String value) {
        int soh = value.indexOf('\u0001');
        return soh < 0 ? -1 : Long.parseLong(value.substring(soh + 1));
    }

    static String idOf(String value) {
        String target = targetOf(value);
        int nul = target.indexOf('\u0000');
        return nul < 0 ? target : target.substring(0, nul);
    }

    static Event receiptEvent(Receipt r) {
        return Event.receipt(r.receivedAt(), r.smscId(), r.bind(), r.stat(), r.err());
    }

    /** The receipt as an event of the message (and part) a correlation entry names. */
    static Event receiptEvent(Receipt r, String target) {
        int nul = target.indexOf('\u0000');
        if (nul < 0) {
            return receiptEvent(r);
        }
        String[] pp = target.substring(nul + 1).split("/");
        return receiptEvent(r).ofPart(Integer.parseInt(pp[0]), Integer.parseInt(pp[1]));
    }
}
