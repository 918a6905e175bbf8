package smppgw.model;

/**
 * How a message's {@code {promo}} placeholder becomes a code: {@code length} characters of {@code alphabet}.
 * The store draws it when it accepts the message, unique among every code it has issued.
 */
public record Promo(String alphabet, int length) {
    public static final String PLACEHOLDER = "{promo}";
}
