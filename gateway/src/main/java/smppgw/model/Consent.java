package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a number stands with one client, or (client null) with the whole gateway: on the list or not, who put it
 * there, and its changes. Built from {@link OptOut} changes on the journal thread.
 *
 * @param client   the client whose list this is; null: the gateway's list, which every client's traffic obeys
 * @param optedOut true: on the list (promotional traffic refused; transactional too where block-transactional says so)
 * @param origin   who put it on the list: {@code mo} (the consumer: only the consumer's START, or the client with a
 *                 consent reference, takes it off), {@code api} (the client itself) or {@code admin}
 * @param since    when it went on the list, epoch ms
 * @param senders  the numbers or short codes the consumer sent STOP to: nothing of any class goes from them to the number
 * @param history  the changes, oldest first (at most {@link #HISTORY})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Consent(String number, String client, boolean optedOut, String origin, long since, List<String> senders,
                      List<OptOut> history) {
    public static final int HISTORY = 50;

    /** What {@code change} makes of {@code before} (null: nothing recorded yet) for {@code client}'s list; null if nothing. */
    public static Consent next(Consent before, OptOut change, String client) {
        List<OptOut> history = new ArrayList<>(before == null ? List.of() : before.history());
        history.add(change.scoped(null));
        while (history.size() > HISTORY) {
            history.remove(0);
        }
        boolean mo = "mo".equals(change.source());
        if (change.out()) {
            List<String> senders = new ArrayList<>(before != null && before.optedOut() ? before.senders() : List.of());
            if (mo && change.to() != null && !senders.contains(PhoneNumber.stripPlus(change.to()))) {
                senders.add(PhoneNumber.stripPlus(change.to()));
            }
            if (before != null && before.optedOut()) {
                // a consumer's own STOP makes the entry theirs: the client can no longer lift it without a consent reference
                return new Consent(change.number(), client, true, mo ? "mo" : before.origin(), before.since(), List.copyOf(senders),
                        List.copyOf(history));
            }
            return new Consent(change.number(), client, true, change.source(), change.at(), List.copyOf(senders), List.copyOf(history));
        }
        if (before == null) {
            return null; // taking off a list a number that was never on it: nothing to keep
        }
        if (before.optedOut() && mo && !"mo".equals(before.origin())) {
            // a consumer's START lifts what the consumer asked for, not what the client or the operator decided
            return new Consent(before.number(), client, true, before.origin(), before.since(), before.senders(), List.copyOf(history));
        }
        return new Consent(before.number(), client, false, before.origin(), before.since(), List.of(), List.copyOf(history));
    }

    /** Whether a message of this class from {@code from} is refused; {@code blockTransactional} as configured for the client. */
    public boolean refuses(boolean promotional, String from, boolean blockTransactional) {
        if (!optedOut) {
            return false;
        }
        return promotional || blockTransactional || (client == null && "admin".equals(origin))
                || (from != null && senders.contains(PhoneNumber.stripPlus(from)));
    }
}
