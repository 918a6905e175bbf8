package smppgw.model;

/** A tracking link: {@code token} in {@code {tracking.base-url}/{token}} stands for {@code url} in message {@code id}. */
public record Link(String token, String url, String id) {
}
