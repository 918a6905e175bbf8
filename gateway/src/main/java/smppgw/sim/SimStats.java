package smppgw.sim;

import java.util.concurrent.atomic.AtomicLong;

/** What the simulator has done, for tests and the bench tool. */
public final class SimStats {
    public final AtomicLong bindsAccepted = new AtomicLong();
    public final AtomicLong bindsRejected = new AtomicLong();
    public final AtomicLong submits = new AtomicLong();
    public final AtomicLong submitsRejected = new AtomicLong();
    public final AtomicLong throttled = new AtomicLong();
    public final AtomicLong unanswered = new AtomicLong();
    public final AtomicLong receiptsAcked = new AtomicLong();
    public final AtomicLong receiptsRefused = new AtomicLong();
    public final AtomicLong moAcked = new AtomicLong();
    public final AtomicLong bindsDropped = new AtomicLong();
}
