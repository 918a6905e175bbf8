package smppgw.store.chronicle;

import smppgw.store.Event;
import smppgw.store.Receipt;

/**
 * What a receipt-correlation entry names: a message id, or for a part of a concatenated message
 * {@code id NUL part/parts}, so a receipt becomes an event of the right part.
 */
final class Correlation {
    private Correlation() {
    }

    static String target(String id, Event submitted) {
        return submitted.part() == null ? id : id + '\u0000' + submitted.part() + '/' + submitted.parts();
    }

    static String idOf(String target) {
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
