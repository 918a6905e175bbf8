package smppgw.store.chronicle;

import com.fasterxml.jackson.annotation.JsonInclude;

import smppgw.store.Event;
import smppgw.store.Inbound;
import smppgw.store.Message;
import smppgw.store.Receipt;

/**
 * One record of the journal, the source of truth everything else is derived from. Exactly one of
 * {@code message}, {@code event}, {@code receipt}, {@code inbound} is set, as {@code kind} says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JournalEntry(Kind kind, String id, String op, Message message, Event event, Receipt receipt, Inbound inbound) {
    enum Kind { ACCEPTED, EVENT, RECEIPT, INBOUND }

    static JournalEntry accepted(Message m) {
        return new JournalEntry(Kind.ACCEPTED, m.id(), m.operator(), m, null, null, null);
    }

    static JournalEntry event(String id, String op, Event e) {
        return new JournalEntry(Kind.EVENT, id, op, null, e, null, null);
    }

    static JournalEntry receipt(Receipt r) {
        return new JournalEntry(Kind.RECEIPT, null, r.operator(), null, null, r, null);
    }

    static JournalEntry inbound(Inbound i) {
        return new JournalEntry(Kind.INBOUND, i.id(), i.operator(), null, null, null, i);
    }
}
