package smppgw.journal;

import smppgw.state.Change;

/** Sees every change the journal thread makes, for log lines and metrics (never for state). */
public interface Observer {
    void changed(Change c);

    /** Replaying the journal at start or after a failed write: what is seen again is not news (no log lines). */
    default void replaying(boolean on) {
    }
}
