package smppgw.model;

/**
 * What a cancel did: {@code CANCELLED} (it was scheduled, now it will never be sent), {@code TOO_LATE} (already queued
 * for sending, sent or final: {@code state} says which), or {@code UNKNOWN} (no such message of this client).
 */
public record Cancellation(Outcome outcome, String id, MessageState state) {
    public enum Outcome { CANCELLED, TOO_LATE, UNKNOWN }
}
