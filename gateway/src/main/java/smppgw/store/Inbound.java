package smppgw.store;

/** A mobile-originated message (a reply from a handset) received on an operator's bind. */
public record Inbound(String id, long receivedAt, String operator, String bind, String from, String to, String text) {
}
