package smppgw.store;

/** The store cannot take writes (closed, failed, or its command queue is full). Intake answers 503. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
