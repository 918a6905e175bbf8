package smppgw.smpp;

/**
 * How a submit ends, on an I/O or timer thread: keep it short. Exactly one of {@link #onResponse} and
 * {@link #onNoResponse} is called, once. After {@code onNoResponse} for a request that expired (its outcome unknown:
 * the SMSC may well have taken it), a submit_sm_resp that still comes on the same bind is given to
 * {@link #onLateResponse}, at most once.
 */
public interface SubmitCallback {
    /** submit_sm_resp arrived; {@code smscId} is null unless status is 0. */
    void onResponse(int commandStatus, String smscId, String bind);

    /** No response: the request expired, or the bind was lost with it in the window. It may have been delivered. */
    void onNoResponse(String reason, String bind);

    /** The submit_sm_resp of a request that had expired: what really happened to it. */
    default void onLateResponse(int commandStatus, String smscId, String bind) {
    }
}
