package smppgw.store;

/**
 * A frequency cap a message must fit: at most {@code max} capped messages to its recipient within the
 * {@code periodMs} before it (the message itself included). Checked by the store, in the single writer,
 * so it holds however many submits race.
 */
public record Cap(int max, long periodMs) {
}
