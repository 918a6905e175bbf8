package smppgw.intake;

import java.time.Duration;

import smppgw.model.AcceptResult;
import smppgw.model.NewMessage;

/** The errors integrators get for what the store refused ({@link AcceptResult#refusal}). */
final class AcceptRefusals {
    private AcceptRefusals() {
    }

    /** Why the store did not take a message ({@link AcceptResult#refusal}), as the error integrators get. */
    static InvalidRequestException of(AcceptResult r, NewMessage m) {
        if ("frequency_cap".equals(r.refusal()) && m.cap() != null) {
            return new InvalidRequestException(429, "frequency_cap", "to", m.to() + " already got " + m.cap().max()
                    + " promotional message(s) in the last " + smppgw.config.Durations.format(Duration.ofMillis(m.cap().periodMs()))
                    + " (compliance.frequency-cap); nothing was stored");
        }
        if ("client_ref_conflict".equals(r.refusal()) && r.id() == null) { // held for another shard's message (ClientRefs)
            return new InvalidRequestException(409, "client_ref_conflict", "client_ref", "client_ref " + m.clientRef() + " already names"
                    + " another message (another to, from or text); nothing was stored (use a new client_ref for a new message)");
        }
        if ("client_ref_unavailable".equals(r.refusal())) {
            return new InvalidRequestException(503, "client_ref_unavailable", "client_ref", "the node keeping client_ref " + m.clientRef()
                    + " cannot be asked now (a node may have just left): nothing was stored; retry", null, 1);
        }
        if ("client_ref_conflict".equals(r.refusal())) {
            return new InvalidRequestException(409, "client_ref_conflict", "client_ref", "client_ref " + m.clientRef() + " already names message "
                    + r.id() + ", which has another to, from or text; nothing was stored (use a new client_ref for a new message)");
        }
        return new InvalidRequestException(409, r.refusal(), null, "not stored: " + r.refusal());
    }
}
