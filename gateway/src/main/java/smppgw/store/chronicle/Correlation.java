package smppgw.store.chronicle;

import smppgw.state.StateView;

/**
 * How a receipt-correlation entry is stored: the message id, or for a part of a concatenated message
 * {@code id NUL part/parts}; then {@code SOH} and the epoch millis of the SUBMITTED event (entries written by early
 * versions have none).
 */
final class Correlation {
    private Correlation() {
    }

    static String value(StateView.Submitted s) {
        String target = s.part() == null ? s.id() : s.id() + '\u0000' + s.part() + '/' + s.parts();
        return target + '\u0001' + s.at();
    }

    static StateView.Submitted submitted(String value) {
        int soh = value.indexOf('\u0001');
        String target = soh < 0 ? value : value.substring(0, soh);
        long at = soh < 0 ? -1 : Long.parseLong(value.substring(soh + 1));
        int nul = target.indexOf('\u0000');
        if (nul < 0) {
            return new StateView.Submitted(target, null, null, at);
        }
        String[] pp = target.substring(nul + 1).split("/");
        return new StateView.Submitted(target.substring(0, nul), Integer.parseInt(pp[0]), Integer.parseInt(pp[1]), at);
    }

    /** The message id an entry names. */
    static String idOf(String value) {
        return submitted(value).id();
    }
}
