package smppgw.state;

import java.util.List;

import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;

/**
 * What the rules read of the state the journal has built, on the journal thread: what the state database holds and
 * what the batch being written has changed, as one. Implemented by the store (RocksDB) and, for tests, in memory.
 * Numbers, ids and codes go in as they are; how they are keyed (hashed numbers, byte layouts) is the store's business.
 */
public interface StateView {
    Message message(String id);

    /** A message's history, oldest first (empty if none). */
    List<Event> events(String id);

    /** The message a client's {@code client_ref} names, or null. */
    String byClientRef(String client, String clientRef);

    /** What a sharded core holds {@code clientRef} for, for another shard's message ({@link smppgw.model.RefReservation#held}), or null. */
    String reservation(String client, String clientRef);

    /** The part submitted under an SMSC id ({@link smppgw.model.SmscIds#canonical}) of an SMSC account, or null. */
    Submitted submitted(String account, String canonicalSmscId);

    /** Receipts parked under an SMSC id of an account (they came before their submit_sm_resp), oldest first. */
    List<Parked> parked(String account, String canonicalSmscId);

    /** Every receipt parked under an account, oldest id first: what a format learned at last is tried on. */
    List<Expiring> parkedOf(String account);

    /** What an account's receipts have shown of their id format ({@link smppgw.model.ReceiptIdFormat.Learning#NONE} at first). */
    smppgw.model.ReceiptIdFormat.Learning idFormat(String account);

    /**
     * The newest message sent to a number from a sender address (as the message or the handset wrote it, with or without
     * '+'), or null: what a reply from the number to that address is about.
     */
    LastSent lastSent(String number, String sender);

    /** A read profile ({@link smppgw.model.ReadProfile#keys}), or null when nothing was read under that key. */
    smppgw.model.ReadProfile readProfile(String key);

    /** A promo code's message and redemption, or null if no message has it. */
    PromoCode promoCode(String code);

    /** When the recipient's capped (promotional) messages were or will be sent, from {@code since} on. */
    List<Long> capped(String to, long since);

    /** Where the number stands with a client (null: with the gateway's own list); null if nothing was ever recorded. */
    smppgw.model.Consent consent(String client, String number);

    /** The parts received so far of a concatenated handset message, in part order. */
    List<Inbound> moParts(String key);

    CampaignSettings campaign(String client, String campaign);

    /** Ids of scheduled messages due at or before {@code now}, earliest first, at most {@code max}. */
    List<String> due(long now, int max);

    /** Submitted parts indexed before {@code before} (epoch ms), oldest first, at most {@code max}: their receipt is overdue. */
    List<Expiring> submittedBefore(long before, int max);

    /** Receipts parked before {@code before} that never found their submit. */
    List<Expiring> parkedBefore(long before);

    /** An entry of the correlation index found by time: the account and SMSC id it is under, and what it holds. */
    record Expiring(String account, String canonicalSmscId, Submitted submitted, Parked parked) {
    }

    /**
     * A message part on its way: the message, which part (null for a single-part message), when it was submitted (-1: not
     * recorded); {@code finalReceipt}: whether its final receipt came (null: not recorded, the part's events tell).
     */
    record Submitted(String id, Integer part, Integer parts, long at, Boolean finalReceipt) {
        public Submitted(String id, Integer part, Integer parts, long at) {
            this(id, part, parts, at, null);
        }

        /** The same part, its final receipt in. */
        public Submitted receiptIn() {
            return new Submitted(id, part, parts, at, true);
        }
    }

    /** A receipt that arrived before its submit was recorded; {@code seq} orders receipts of one millisecond. */
    record Parked(long receivedAt, long seq, smppgw.model.Receipt receipt) {
    }

    record LastSent(String id, long at) {
    }

    /** {@code redeemedAt}: null until redeemed. */
    record PromoCode(String messageId, Long redeemedAt) {
    }
}
