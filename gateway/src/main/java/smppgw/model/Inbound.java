package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A mobile-originated message (a reply from a handset) received on an operator's bind. A part of a
 * concatenated one carries its {@code ref}, {@code parts} and {@code seq}; the store joins them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text,
                      Integer ref, Integer parts, Integer seq, OptOut optOut) {
    public Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text,
                   Integer ref, Integer parts, Integer seq) {
        this(id, receivedAt, operator, bind, from, to, text, ref, parts, seq, null);
    }

    public Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text) {
        this(id, receivedAt, operator, bind, from, to, text, null, null, null);
    }

    /**
     * The same message, recognised as an opt-out or opt-in keyword: the change it makes to the suppression list.
     * Decided when it arrives and journaled with it, so a replay after a crash or a later change of keywords
     * gives the same list.
     */
    public Inbound withOptOut(OptOut change) {
        return new Inbound(id, receivedAt, operator, bind, from, to, text, ref, parts, seq, change);
    }

    /** The parts of one concatenated message share this: operator, from, to, reference and count. */
    public String partsKey() {
        return operator + '\u0000' + from + '\u0000' + to + '\u0000' + ref + '\u0000' + parts;
    }

    public boolean isPart() {
        return parts != null && parts > 1;
    }

    /** The whole message, once all parts are here. */
    public Inbound joined(String text) {
        return new Inbound(id, receivedAt, operator, bind, from, to, text, null, null, null);
    }
}
