package smppgw.model;

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
 * @param variant    the campaign variant it was drawn for, or null
 * @param followUp   true for a campaign's follow-up, else null
 * @param followUpText the follow-up personalised for this recipient, kept with the message until it is due, or null
 */
public record NewMessage(String operator, String client, String clientRef, String from, String to, String text, long validityMs,
                         int receipt, String encoding, String messageClass, Cap cap, java.util.Map<String, String> links,
                         Promo promo, String campaign, Long sendAt, String variant, Boolean followUp, String followUpText) {
    /**
     * The same message as campaign variant {@code v}: {@code followUp} when it is the follow-up to one who did not act,
     * {@code followUpText} the follow-up to send later if they do not (null: none).
     */
    public NewMessage asVariant(String v, boolean followUp, String followUpText) {
        return new NewMessage(operator, client, clientRef, from, to, text, validityMs, receipt, encoding, messageClass, cap, links, promo,
                campaign, sendAt, v, followUp ? Boolean.TRUE : null, followUpText);
    }

    /**
     * A message to build: its operator (already routed), client ({@code ""} for the unauthenticated API), sender, recipient
     * and text; everything else has the default of the canonical constructor's documentation (none, zero, transactional).
     */
    public static Builder of(String operator, String client, String from, String to, String text) {
        return new Builder(operator, client, from, to, text);
    }

    /** The optional fields by name, so a call site says which it sets. */
    public static final class Builder {
        private final String operator;
        private final String client;
        private final String from;
        private final String to;
        private final String text;
        private String clientRef;
        private long validityMs;
        private int receipt;
        private String encoding;
        private String messageClass;
        private Cap cap;
        private java.util.Map<String, String> links;
        private Promo promo;
        private String campaign;
        private Long sendAt;

        private Builder(String operator, String client, String from, String to, String text) {
            this.operator = operator;
            this.client = client;
            this.from = from;
            this.to = to;
            this.text = text;
        }

        public Builder clientRef(String v) {
            clientRef = v;
            return this;
        }

        public Builder validityMs(long v) {
            validityMs = v;
            return this;
        }

        public Builder receipt(int v) {
            receipt = v;
            return this;
        }

        public Builder encoding(String v) {
            encoding = v;
            return this;
        }

        public Builder messageClass(String v) {
            messageClass = v;
            return this;
        }

        public Builder cap(Cap v) {
            cap = v;
            return this;
        }

        public Builder links(java.util.Map<String, String> v) {
            links = v;
            return this;
        }

        public Builder promo(Promo v) {
            promo = v;
            return this;
        }

        public Builder campaign(String v) {
            campaign = v;
            return this;
        }

        public Builder sendAt(Long v) {
            sendAt = v;
            return this;
        }

        public NewMessage build() {
            return new NewMessage(operator, client, clientRef, from, to, text, validityMs, receipt, encoding, messageClass, cap, links, promo,
                    campaign, sendAt, null, null, null);
        }
    }
}
