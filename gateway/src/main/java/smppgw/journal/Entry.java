package smppgw.journal;

import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.OptOut;
import smppgw.model.Receipt;

/**
 * One record of the journal, the source of truth everything else is derived from: a message accepted, an event of a
 * message, a receipt, a handset message, an opt-out change, a campaign setting, and (replicated journals only) how
 * far a client's notifications have been served. How it is written on disk is the store's business
 * ({@code store.chronicle.EntryCodec}).
 */
public record Entry(Kind kind, String id, String op, Message message, Event event, Receipt receipt, Inbound inbound,
                    OptOut optOut, CampaignSettings campaign, Served served, smppgw.model.RefReservation reservation) {
    public enum Kind { ACCEPTED, EVENT, RECEIPT, INBOUND, OPT_OUT, CAMPAIGN, SERVED, RESERVED }

    /**
     * Every notification of {@code client} made by a journal record up to index {@code through} has been served to it
     * (webhook answered, deliver_sm answered, by every reader it has): a journal restored elsewhere does not make those
     * again. Changes no state.
     */
    public record Served(String client, long through) {
    }

    public static Entry accepted(Message m) {
        return new Entry(Kind.ACCEPTED, m.id(), m.operator(), m, null, null, null, null, null, null, null);
    }

    public static Entry event(String id, String op, Event e) {
        return new Entry(Kind.EVENT, id, op, null, e, null, null, null, null, null, null);
    }

    public static Entry receipt(Receipt r) {
        return new Entry(Kind.RECEIPT, null, r.operator(), null, null, r, null, null, null, null, null);
    }

    public static Entry optOut(OptOut o) {
        return new Entry(Kind.OPT_OUT, null, null, null, null, null, null, o, null, null, null);
    }

    public static Entry campaign(CampaignSettings c) {
        return new Entry(Kind.CAMPAIGN, null, null, null, null, null, null, null, c, null, null);
    }

    public static Entry inbound(Inbound i) {
        return new Entry(Kind.INBOUND, i.id(), i.operator(), null, null, null, i, null, null, null, null);
    }

    /** A client_ref held for another shard's message, or given back ({@link smppgw.model.RefReservation}). */
    public static Entry reservation(smppgw.model.RefReservation r) {
        return new Entry(Kind.RESERVED, null, null, null, null, null, null, null, null, null, r);
    }

    public static Entry served(String client, long through) {
        return new Entry(Kind.SERVED, client, null, null, null, null, null, null, null, new Served(client, through), null);
    }
}
