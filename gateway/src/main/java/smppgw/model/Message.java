package smppgw.model;

/**
 * An accepted message as the integrator gave it, after validation and routing. Immutable: everything
 * that happens to it afterwards is an {@link Event}.
 *
 * @param id         gateway id, unique and time-ordered ({@link Ids})
 * @param acceptedAt epoch milliseconds
 * @param client     the integrator it belongs to ("" for the unauthenticated demo API)
 * @param clientRef  the integrator's idempotency key, or null
 * @param to         E.164 destination, "+33612345678"
 * @param expiresAt  epoch ms after which it is not sent any more (ends EXPIRED), or null for never
 * @param receipt    an integrator's SMPP registered_delivery (1 every final state, 2 failures only), or null
 * @param encoding   "ucs2" when the integrator asked for UCS-2, else null (GSM 03.38 when every character fits)
 * @param messageClass {@code promotional} or {@code conversational}; null for {@code transactional}
 * @param links      tracking links in its text: token → the URL the integrator wrote; null for none
 * @param promoCode  the unique code its text carries, or null
 * @param campaign   the campaign it belongs to, or null
 * @param sendAt     epoch ms it is held until (SCHEDULED), or null
 * @param purgedAt   epoch ms its text, numbers and links were purged by retention, or null (then they are null too)
 * @param variant    the campaign variant it was drawn for ({@code PUT /v1/campaigns/{id}} variants), or null
 * @param followUp   true for a campaign's follow-up to a recipient who did not act, else null
 * @param followUpText the campaign's follow-up text personalised for this recipient (sent only if they do not act), or null
 */
public record Message(String id, long acceptedAt, String operator, String client, String clientRef,
                      String from, String to, String text, Long expiresAt, Integer receipt, String encoding, String messageClass,
                      java.util.Map<String, String> links, String promoCode, String campaign, Long sendAt,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Long purgedAt,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String variant,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Boolean followUp,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String followUpText) {
    /** A message outside any campaign variant (records journaled before variants existed read this way too). */
    public Message(String id, long acceptedAt, String operator, String client, String clientRef, String from, String to, String text,
                   Long expiresAt, Integer receipt, String encoding, String messageClass, java.util.Map<String, String> links,
                   String promoCode, String campaign, Long sendAt, Long purgedAt) {
        this(id, acceptedAt, operator, client, clientRef, from, to, text, expiresAt, receipt, encoding, messageClass, links, promoCode,
                campaign, sendAt, purgedAt, null, null, null);
    }

    public boolean isFollowUp() {
        return Boolean.TRUE.equals(followUp);
    }

    public static final String TRANSACTIONAL = "transactional";
    public static final String PROMOTIONAL = "promotional";
    public static final String CONVERSATIONAL = "conversational";

    /** The message class; stored null for the default, transactional. */
    public String messageClassOrDefault() {
        return messageClass == null ? TRANSACTIONAL : messageClass;
    }

    /** The same message without what retention removes: its text, numbers and tracking links. */
    public Message purged(long at) {
        return new Message(id, acceptedAt, operator, client, clientRef, null, null, null, expiresAt, receipt, encoding, messageClass,
                null, promoCode, campaign, sendAt, at, variant, followUp, null);
    }

    public boolean forceUcs2() {
        return "ucs2".equals(encoding);
    }
}
