package smppgw.model;

/**
 * What redeeming a promo code did: {@code REDEEMED} (the message is now READ via code), {@code ALREADY} (redeemed
 * before, at {@code redeemedAt}) or {@code UNKNOWN} (no such code, or another client's).
 */
public record Redemption(Outcome outcome, String code, String messageId, Long redeemedAt) {
    public enum Outcome { REDEEMED, ALREADY, UNKNOWN }
}
