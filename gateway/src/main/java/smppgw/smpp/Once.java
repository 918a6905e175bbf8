package smppgw.smpp;

/** Guarantees one outcome per submit, whichever of response, expiry or bind loss comes first. */
final class Once implements SubmitCallback {
    private final SubmitCallback delegate;
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    Once(SubmitCallback delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onResponse(int commandStatus, String smscId, String bind) {
        if (done.compareAndSet(false, true)) {
            delegate.onResponse(commandStatus, smscId, bind);
        }
    }

    @Override
    public void onNoResponse(String reason, String bind) {
        if (done.compareAndSet(false, true)) {
            delegate.onNoResponse(reason, bind);
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();

    void late(int commandStatus, String smscId, String bind) {
        if (late.compareAndSet(false, true)) {
            delegate.onLateResponse(commandStatus, smscId, bind);
        }
    }
}
