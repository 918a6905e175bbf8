package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A change to who may message a number: a consumer's keyword, a client's or the operator's call. Journaled as it
 * was decided, so replaying it gives the same lists.
 *
 * @param number     E.164, "+33612345678"
 * @param out        true: opted out (suppressed); false: opted back in (taken off the list)
 * @param at         epoch ms
 * @param source     {@code mo} (a keyword the handset sent), {@code api} (a client) or {@code admin} (the operator)
 * @param detail     the keyword as normalised ({@code STOP}, {@code ARRET}), or the client that called the API
 * @param to         for {@code mo}: the number or short code the keyword was sent to
 * @param scope      the clients whose list it changes; null: the gateway's own list, which binds every client (records
 *                   written before lists were per client are read so, as they were honoured then)
 * @param consentRef for a client lifting a consumer's STOP: its reference to the consent the consumer gave it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptOut(String number, boolean out, long at, String source, String detail, String to, List<String> scope,
                     String consentRef) {
    public OptOut(String number, boolean out, long at, String source, String detail, String to) {
        this(number, out, at, source, detail, to, null, null);
    }

    /**
     * The lists this change is for, a null element being the gateway's: its scope. A record of the versions with one list
     * (no scope) is read as what it most likely meant: an API change for the list of the client that made it ({@code "-"}:
     * the gateway without clients, ""), anything else (a consumer's keyword) for the gateway's list, honoured for every
     * client as it was then.
     */
    public List<String> lists() {
        if (scope != null) {
            return scope;
        }
        if ("api".equals(source) && detail != null) {
            return List.of(detail.equals("-") ? "" : detail);
        }
        return java.util.Collections.singletonList(null);
    }

    /** The same change, for these clients' lists (null: the gateway's). */
    public OptOut scoped(List<String> clients) {
        return new OptOut(number, out, at, source, detail, to, clients == null ? null : List.copyOf(clients), consentRef);
    }
}
