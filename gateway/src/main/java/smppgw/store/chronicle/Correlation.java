package smppgw.store.chronicle;

import smppgw.state.StateView;

/**
 * How a receipt-correlation entry is stored: the message id, or for a part of a concatenated message
 * {@code id NUL part/parts}; then {@code SOH} and the epoch millis of the SUBMITTED event (entries written by early
 * versions have none), and {@code SOH F} once the part's final receipt came (entries written before this was kept
 * have neither mark: the part's events tell).
 */
final class Correlation {
    private Correlation() {
    }

    static String value(StateView.Submitted s) {
        String target = s.part() == null ? s.id() : s.id() + '\u0000' + s.part() + '/' + s.parts();
        return target + '\u0001' + s.at() + (s.finalReceipt() == null ? "" : s.finalReceipt() ? "\u0001F" : "\u0001W");
    }

    static StateView.Submitted submitted(String value) {
        int soh = value.indexOf('\u0001');
        String target = soh < 0 ? value : value.substring(0, soh);
        int soh2 = soh < 0 ? -1 : value.indexOf('\u0001', soh + 1);
        long at = soh < 0 ? -1 : Long.parseLong(soh2 < 0 ? value.substring(soh + 1) : value.substring(soh + 1, soh2));
        Boolean finalReceipt = soh2 < 0 ? null : value.charAt(soh2 + 1) == 'F';
        int nul = target.indexOf('\u0000');
        if (nul < 0) {
            return new StateView.Submitted(target, null, null, at, finalReceipt);
        }
        String[] pp = target.substring(nul + 1).split("/");
        return new StateView.Submitted(target.substring(0, nul), Integer.parseInt(pp[0]), Integer.parseInt(pp[1]), at, finalReceipt);
    }

    /** The message id an entry names. */
    static String idOf(String value) {
        return submitted(value).id();
    }
}
