package smppgw.smpp;

import com.cloudhopper.smpp.pdu.SubmitSm;

import java.util.List;

/**
 * The binds of one operator, and the choice of which one carries the next submit. Several dispatchers may share them (the
 * cores of a sharded node, one per shard): each listens for capacity, and the choice is made by one caller at a time.
 */
public final class OperatorBinds {
    private final String operator;
    private final java.util.concurrent.atomic.AtomicInteger index = new java.util.concurrent.atomic.AtomicInteger();
    private volatile List<BindSession> sessions = List.of();
    private volatile List<BindSession> transmitters = List.of();
    private final List<Runnable> capacityListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int next;

    OperatorBinds(String operator) {
        this.operator = operator;
    }

    /** The binds from now on (at start, and when a reload changes them). */
    void replace(List<BindSession> binds) {
        transmitters = binds.stream().filter(BindSession::canTransmit).toList();
        sessions = List.copyOf(binds);
        capacity();
    }

    /** The number in the next new bind's name. */
    int nextIndex() {
        return index.getAndIncrement();
    }

    public String operator() {
        return operator;
    }

    public List<BindSession> sessions() {
        return sessions;
    }

    /**
     * Calls {@code listener} when a window slot frees up or a bind comes up (a dispatcher waits on it) until the returned
     * handle is closed.
     */
    public AutoCloseable onCapacity(Runnable listener) {
        capacityListeners.add(listener);
        return () -> capacityListeners.remove(listener);
    }

    void capacity() {
        for (Runnable r : capacityListeners) {
            r.run();
        }
    }

    /**
     * Sends on the next bound transmitter with a free window slot, round-robin. False if none could
     * take it; the callback is called only when this returns true.
     */
    public boolean submit(SubmitSm pdu, SubmitCallback callback) {
        return submit(pdu, callback, -1);
    }

    /**
     * The same, only on a bind the SMSC has been heard from after {@code heardSince} (epoch millis; -1: any): a resend
     * after a timeout goes only where the SMSC is known to be alive, never into a connection that may be frozen.
     */
    public boolean submit(SubmitSm pdu, SubmitCallback callback, long heardSince) {
        return submit(pdu, callback, heardSince, false);
    }

    /**
     * Sends on one of this node's own binds to the SMSC, never over the node link: another node's submit relayed here
     * ({@link NodeLink}) goes no further, even while two nodes' views of who holds the binds differ.
     */
    boolean submitHere(SubmitSm pdu, SubmitCallback callback) {
        return submit(pdu, callback, -1, true);
    }

    private synchronized boolean submit(SubmitSm pdu, SubmitCallback callback, long heardSince, boolean here) {
        List<BindSession> transmitters = this.transmitters;
        int n = transmitters.size();
        for (int i = 0; i < n; i++) {
            BindSession b = transmitters.get((next + i) % n);
            if (!(here && b.isLink()) && b.freeWindow() > 0 && (heardSince < 0 || b.heardSince(heardSince)) && b.submit(pdu, callback)) {
                next = (next + i + 1) % n;
                return true;
            }
        }
        return false;
    }

    /** Sends a query_sm on the next bound transmitter with a free window slot; false if none could take it. */
    public boolean query(com.cloudhopper.smpp.pdu.QuerySm pdu, QueryAnswer answer) {
        return query(pdu, answer, false);
    }

    /** A query_sm on one of this node's own binds to the SMSC (a relayed one, {@link #submitHere}). */
    boolean queryHere(com.cloudhopper.smpp.pdu.QuerySm pdu, QueryAnswer answer) {
        return query(pdu, answer, true);
    }

    private synchronized boolean query(com.cloudhopper.smpp.pdu.QuerySm pdu, QueryAnswer answer, boolean here) {
        List<BindSession> transmitters = this.transmitters;
        int n = transmitters.size();
        for (int i = 0; i < n; i++) {
            BindSession b = transmitters.get((next + i) % n);
            if (!(here && b.isLink()) && b.freeWindow() > 0 && b.query(pdu, answer)) {
                next = (next + i + 1) % n;
                return true;
            }
        }
        return false;
    }

    public int boundCount() {
        return (int) sessions.stream().filter(BindSession::isBound).count();
    }

    public boolean hasBoundTransmitter() {
        return transmitters.stream().anyMatch(BindSession::isBound);
    }

    /** Whether a resend after a timeout at {@code millis} has a bind to go on. */
    public boolean heardSince(long millis) {
        return transmitters.stream().anyMatch(b -> b.freeWindow() > 0 && b.heardSince(millis));
    }

    public int windowInUse() {
        return sessions.stream().mapToInt(BindSession::windowInUse).sum();
    }
}
