package smppgw.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import smppgw.model.Consent;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.OptOut;
import smppgw.model.PhoneNumber;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Who a consumer's keyword speaks to, and what a change does to the lists. A handset message is an opt-out (or
 * opt-in) when it, or the whole of a concatenated one once its last part is in, is strictly a keyword
 * ({@link Keywords}). It applies to the client that owns the number it was sent to ({@code clients[].mo-numbers});
 * for a number no client owns, to the client whose message the handset last received from that number; when
 * neither is known, to the gateway's own list (every client), since a STOP nobody can place must still be honoured.
 * Decided on the journal thread before the message is journaled, and journaled with it.
 */
public final class OptOuts {
    private final Keywords keywords;
    /** Number a handset writes to, digits without '+' → the client it belongs to. */
    private final Map<String, String> owners = new java.util.HashMap<>();
    private final String defaultCountryCode;

    /** @param owners number (with or without '+') → client ({@code clients[].mo-numbers}) */
    public OptOuts(Keywords keywords, Map<String, String> owners, String defaultCountryCode) {
        this.keywords = keywords;
        owners.forEach((n, c) -> this.owners.put(PhoneNumber.stripPlus(n), c));
        this.defaultCountryCode = defaultCountryCode;
    }

    /** The handset message as it is to be journaled: with the change it makes to a list, if it is a keyword. */
    public Inbound decide(Inbound mo, StateView view) {
        String text = mo.isPart() ? whole(mo, view) : mo.text();
        if (text == null) {
            return mo;
        }
        String handset = PhoneNumber.handset(mo.from(), defaultCountryCode);
        List<String> scope = scope(handset, mo.to(), view);
        List<String> qualifiers = new ArrayList<>();
        if (mo.to() != null) {
            qualifiers.add(mo.to());
        }
        if (scope != null) {
            qualifiers.addAll(scope);
        }
        Keywords.Match k = keywords.match(text, qualifiers);
        if (k == null) {
            return mo;
        }
        return mo.withOptOut(new OptOut(handset, k.optOut(), mo.receivedAt(), "mo", k.keyword(), mo.to(), scope, null));
    }

    /** The text of the whole message if {@code part} completes it, else null. */
    private static String whole(Inbound part, StateView view) {
        TreeMap<Integer, String> texts = new TreeMap<>();
        for (Inbound p : view.moParts(part.partsKey())) {
            texts.put(p.seq(), p.text());
        }
        texts.put(part.seq(), part.text());
        if (texts.size() < part.parts()) {
            return null;
        }
        return String.join("", texts.values());
    }

    /** The clients a keyword from {@code handset} to {@code to} speaks to; null: the gateway's own list. */
    List<String> scope(String handset, String to, StateView view) {
        if (to == null) {
            return null;
        }
        String owner = owners.get(PhoneNumber.stripPlus(to));
        if (owner != null) {
            return List.of(owner);
        }
        StateView.LastSent last = view.lastSent(handset, to);
        Message m = last == null ? null : view.message(last.id());
        return m == null || m.client() == null ? null : List.of(m.client());
    }

    /** Applies a journaled change to each list it names. */
    public static void apply(OptOut change, StateView view, Consumer<Change> out) {
        for (String client : change.lists()) {
            Consent next = Consent.next(view.consent(client, change.number()), change, client);
            if (next != null) {
                out.accept(new Change.PutConsent(next));
            }
        }
    }
}
