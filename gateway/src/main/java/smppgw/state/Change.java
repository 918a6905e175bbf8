package smppgw.state;

import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.Notification;
import smppgw.model.Receipt;

/**
 * One change a rule makes, as a value: to the state (the store applies it to the open batch, so the next read sees
 * it), to a client's notifications, or something observed for metrics and logs. The same changes come out of the
 * live run and out of a replay of the journal. {@code json}: the encoding the journal already holds, when there is
 * one (saves encoding it again); null otherwise.
 */
public sealed interface Change {
    record PutMessage(Message message, byte[] json) implements Change {
    }

    /** {@code operator}: for the log line. */
    record AddEvent(String id, String operator, Event event, byte[] json) implements Change {
    }

    /** A client_ref held for another shard's message ({@link smppgw.model.RefReservation#held}), or given back ({@code held} null). */
    record PutReservation(String client, String clientRef, String held) implements Change {
    }

    record PutRef(String client, String clientRef, String id) implements Change {
    }

    /** Indexes a submitted part under its SMSC id (and by time, for the receipt window). */
    record PutSubmitted(String account, String canonicalSmscId, StateView.Submitted target) implements Change {
    }

    /** The receipt window passed: the entry goes. */
    record DeleteSubmitted(String account, String canonicalSmscId, long at) implements Change {
    }

    record Park(String account, String canonicalSmscId, long receivedAt, long seq, Receipt receipt, byte[] json) implements Change {
    }

    record Unpark(String account, String canonicalSmscId, StateView.Parked parked) implements Change {
    }

    record PutIdFormat(String account, smppgw.model.ReceiptIdFormat.Learning learning) implements Change {
    }

    /** Observed: an account's receipt id format was locked, or unlocked to learn again ({@code learning.locked()} null). */
    record IdFormatChanged(String account, smppgw.model.ReceiptIdFormat.Learning learning, String why) implements Change {
    }

    /** Observed: a receipt not put on any message now ({@code reason}: ambiguous, contradicts_format, not_for_this_number). */
    record ReceiptUnmatched(String operator, String reason) implements Change {
    }

    /** A submitted part to ask about with query_sm at {@code at} if its final receipt has not come by then. */
    record QueryDue(long at, String operator, String smscId, Query query) implements Change {
    }

    /** The query of a part is answered, or no longer needed (its final receipt came, the receipt window ended). */
    record DropQuery(long at, String operator, String smscId) implements Change {
    }

    /** What a query_sm is about: the part, its submit time, how many queries have gone already. */
    record Query(String id, Integer part, Integer parts, long submittedAt, int attempts) {
    }

    record Schedule(long at, String id) implements Change {
    }

    record Unschedule(long at, String id) implements Change {
    }

    record IndexCampaign(String campaign, String id) implements Change {
    }

    record PutPromoCode(String code, StateView.PromoCode value) implements Change {
    }

    record PutLink(String token, String id, String url) implements Change {
    }

    /** {@code sender}: the message's sender address, '+' stripped ("" when it has none). */
    record PutLastSent(String number, String sender, StateView.LastSent sent) implements Change {
    }

    /** A capped (promotional) message counts against its recipient from {@code at}. */
    record CountCap(String to, long at, String id) implements Change {
    }

    /** Where a number now stands with a client (or the gateway's own list). */
    record PutConsent(smppgw.model.Consent consent) implements Change {
    }

    record PutInbound(Inbound inbound, byte[] json) implements Change {
    }

    record PutMoPart(String key, int seq, Inbound part, byte[] json) implements Change {
    }

    record DeleteMoParts(String key, int parts) implements Change {
    }

    record PutCampaign(CampaignSettings settings, byte[] json) implements Change {
    }

    /** A notification for a client (written to its queue; on replay, only past what it already holds). */
    record Notify(String client, Notification notification) implements Change {
    }

    /** Observed: a message became READ ({@code latencyMs} from acceptance), for metrics. */
    /** One more read in a read profile ({@link smppgw.model.ReadProfile}): of a message sent in UTC {@code hour}, {@code ms} after. */
    record AddReadProfile(String key, int hour, long ms, long at) implements Change {
    }

    record FirstRead(Message message, String via, long latencyMs) implements Change {
    }

    /** Observed: a receipt matched on arrival, {@code latencyMs} after its submit. */
    record ReceiptMatched(String operator, long latencyMs) implements Change {
    }

    /** Observed: a receipt was parked (no submit known under its id yet), for the log. */
    record ReceiptParked(Receipt receipt) implements Change {
    }
}
