package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A number joining or leaving the suppression list.
 *
 * @param number E.164, "+33612345678"
 * @param out    true: opted out (suppressed); false: opted back in (removed from the list)
 * @param at     epoch ms
 * @param source {@code mo} (a keyword the handset sent) or {@code api} (an integrator or operator)
 * @param detail the keyword as normalised ({@code STOP}, {@code ARRET}) or the client that called the API
 * @param to     for {@code mo}: the number or short code the keyword was sent to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptOut(String number, boolean out, long at, String source, String detail, String to) {
}
