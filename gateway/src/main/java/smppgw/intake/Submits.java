package smppgw.intake;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import smppgw.model.AcceptResult;

/** One message as an SMPP submit is taken: validated, then the client's rate taken (or refused), then stored. */
public final class Submits {
    private Submits() {
    }

    /**
     * @param rate takes one from the client's rate, or throws its refusal; run only for a valid message
     * @return the result once stored; a refusal (invalid, over the rate, a rule) as a failed future
     */
    public static CompletableFuture<AcceptResult> one(Intake intake, Intake.Request request, Runnable rate) {
        try {
            smppgw.model.NewMessage m = intake.validate(request);
            rate.run();
            return intake.accept(List.of(m)).thenApply(r -> r.get(0));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
