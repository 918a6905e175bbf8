package smppgw.store;

/** A validated, routed message that has no id yet: the store assigns it when it writes it. */
public record NewMessage(String operator, String client, String clientRef, String from, String to, String text) {
}
