package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something a client is told: a state change of one of its messages, or a message from a handset routed
 * to it. Written by the journal thread, in order, to the client's notification queue.
 *
 * @param kind         STATE or MO
 * @param journalIndex the journal record it comes from (a replay after a crash writes only later ones)
 * @param receipt      the message's SMPP registered_delivery, or null
 * @param wasFinal     true when the message had reached a final state before this one (READ after DELIVERED)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String kind, long journalIndex, String client, String id, String clientRef, String state, long at,
                           String operator, String from, String to, Long acceptedAt, String smscId, String stat, String err,
                           Integer status, String reason, String text, Integer receipt, Boolean wasFinal, String campaign, String via) {
    public Notification(String kind, long journalIndex, String client, String id, String clientRef, String state, long at, String operator,
                        String from, String to, Long acceptedAt, String smscId, String stat, String err, Integer status, String reason,
                        String text, Integer receipt, Boolean wasFinal) {
        this(kind, journalIndex, client, id, clientRef, state, at, operator, from, to, acceptedAt, smscId, stat, err, status, reason, text,
                receipt, wasFinal, null, null);
    }
    public static final String STATE = "STATE";
    public static final String MO = "MO";

    public boolean isFinal() {
        return kind.equals(STATE) && MessageState.valueOf(state).isFinal();
    }

    public boolean isFailure() {
        return isFinal() && !state.equals(MessageState.DELIVERED.name()) && !state.equals(MessageState.READ.name());
    }

    /** READ after the message was already final: news for a webhook, not a second SMPP receipt. */
    public boolean isLateRead() {
        return kind.equals(STATE) && state.equals(MessageState.READ.name()) && Boolean.TRUE.equals(wasFinal);
    }
}
