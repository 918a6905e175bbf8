package smppgw.smpp;

/** How a submit ends. Exactly one method is called, once, on an I/O or timer thread: keep it short. */
public interface SubmitCallback {
    /** submit_sm_resp arrived; {@code smscId} is null unless status is 0. */
    void onResponse(int commandStatus, String smscId, String bind);

    /** No response: the request expired, or the bind was lost with it in the window. It may have been delivered. */
    void onNoResponse(String reason, String bind);
}
