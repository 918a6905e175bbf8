package smppgw.store;

/**
 * A validated, routed message that has no id yet: the store assigns it when it writes it.
 *
 * @param validityMs how long after acceptance it may still be sent; 0 or less for no limit
 * @param receipt    SMPP registered_delivery of an integrator's submit (1 every final state, 2 failures only), else 0
 * @param messageClass {@code promotional} or {@code conversational}; null for transactional, the default
 * @param cap        the frequency cap it must fit (promotional messages), or null
 * @param links      tracking links in the text: token → the URL it replaced; null for none
 * @param promo      how to draw the code that replaces {@code {promo}} in the text, or null
 * @param campaign   the campaign it belongs to, or null
 * @param sendAt     epoch ms before which it must not be sent (quiet hours, send_at); null to send now. Its validity
 *                   counts from then
 */
public record NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs,
                         int receipt, String encoding, String messageClass, Cap cap, java.util.Map<String, String> links,
                         Promo promo, String campaign, Long sendAt) {
    public NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs,
                      int receipt, String encoding) {
        this(operator, client, clientRef, from, to, text, validityMs, receipt, encoding, null, null, null, null, null, null);
    }

    public NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs,
                      int receipt, String encoding, String messageClass, Cap cap) {
        this(operator, client, clientRef, from, to, text, validityMs, receipt, encoding, messageClass, cap, null, null, null, null);
    }

    public NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs) {
        this(operator, client, clientRef, from, to, text, validityMs, 0, null);
    }

    public NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs, int receipt) {
        this(operator, client, clientRef, from, to, text, validityMs, receipt, null);
    }
}
