package smppgw.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import smppgw.model.Cap;
import smppgw.state.StateView;

/**
 * At most {@code max} capped (promotional) messages per recipient in any rolling period, counted when each is sent
 * (a deferred one counts at its send time). Decided on the journal thread, so it holds under any number of
 * concurrent submits.
 */
public final class FrequencyCap {
    private FrequencyCap() {
    }

    /**
     * When a capped message may be sent: {@code at} itself if fewer than {@code max} of the recipient's capped messages
     * fall in the period before it (later ones, already scheduled, count too); else -1 to refuse it, or with
     * {@code defer} the earliest time after all of them at which the period before it holds fewer than {@code max},
     * moved on to the recipient's next send window.
     */
    public static long time(Cap cap, String to, long at, StateView view) {
        List<Long> times = new ArrayList<>(view.capped(to, at - cap.periodMs() + 1));
        if (times.size() < cap.max()) {
            return at;
        }
        if (!cap.defer()) {
            return -1;
        }
        Collections.sort(times);
        long fits = Math.max(at, Math.max(times.get(times.size() - cap.max()) + cap.periodMs(), times.get(times.size() - 1)));
        return cap.nextAllowed().applyAsLong(fits);
    }
}
