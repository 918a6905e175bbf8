package smppgw.intake;

/** Whether an operator can take another message now; a refusal says why and when to come back. */
@FunctionalInterface
public interface Backpressure {
    Backpressure NONE = operator -> null;

    /** Null to accept, else the 429 to answer (nothing is stored). */
    InvalidRequestException check(String operator);

    static InvalidRequestException full(String operator, String message, int retryAfterSeconds) {
        return new InvalidRequestException(429, "backlog_full", null, message, operator, retryAfterSeconds);
    }
}
