package smppgw.store;

/**
 * A validated, routed message that has no id yet: the store assigns it when it writes it.
 *
 * @param validityMs how long after acceptance it may still be sent; 0 or less for no limit
 */
public record NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs) {
}
