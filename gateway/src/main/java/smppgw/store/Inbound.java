package smppgw.store;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A mobile-originated message (a reply from a handset) received on an operator's bind. A part of a
 * concatenated one carries its {@code ref}, {@code parts} and {@code seq}; the store joins them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text,
                      Integer ref, Integer parts, Integer seq) {
    public Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text) {
        this(id, receivedAt, operator, bind, from, to, text, null, null, null);
    }

    public boolean isPart() {
        return parts != null && parts > 1;
    }

    /** The whole message, once all parts are here. */
    public Inbound joined(String text) {
        return new Inbound(id, receivedAt, operator, bind, from, to, text, null, null, null);
    }
}
