package smppgw.intake;

/**
 * A request the gateway refuses, with what to tell the integrator: an HTTP status, a stable error code,
 * the field at fault (or null) and a sentence.
 */
public final class InvalidRequestException extends RuntimeException {
    private final int httpStatus;
    private final String code;
    private final String field;
    private final String operator;
    private final int retryAfterSeconds;

    public InvalidRequestException(int httpStatus, String code, String field, String message) {
        this(httpStatus, code, field, message, null, 0);
    }

    public InvalidRequestException(int httpStatus, String code, String field, String message, String operator, int retryAfterSeconds) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.field = field;
        this.operator = operator;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The operator a refusal is about, or null. */
    public String operator() {
        return operator;
    }

    /** Seconds to wait before trying again (429), or 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static InvalidRequestException field(String field, String message) {
        return new InvalidRequestException(400, "invalid_field", field, message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
