package smppgw.model;

import java.util.function.LongUnaryOperator;

/**
 * A frequency cap a message must fit: at most {@code max} capped messages to its recipient within any
 * {@code periodMs}, counted at the time each is sent. Checked by the store, in the single writer, so it holds
 * however many submits race. Over the cap, a message is refused, or with {@code defer} held until the earliest
 * time it fits, moved on by {@code nextAllowed} (the recipient's send window; identity when there is none).
 */
public record Cap(int max, long periodMs, boolean defer, LongUnaryOperator nextAllowed) {
    public Cap(int max, long periodMs) {
        this(max, periodMs, false, t -> t);
    }
}
