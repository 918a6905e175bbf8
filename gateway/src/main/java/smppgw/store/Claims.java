package smppgw.store;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Who has a queued message: its operator's dispatcher (taking it to send) or the journal thread (cancelling or holding
 * it). Whichever claims first wins, so a message cancelled while queued is never sent and one already taken is never
 * called cancelled. Only messages being sent (taken, until all their parts are resolved) and stops not yet met by the
 * dispatcher are held here: a few windows' worth, not the backlog.
 * <p>
 * A stop is first {@link Claim#STOPPING} while the journal thread writes it (the dispatcher then waits for it), and
 * {@link Claim#STOPPED} once written; a failed write takes it back, and the message goes out as if nothing happened.
 * After a restart nothing is here: the dispatcher then reads the journaled state of each message it finds in its queue.
 */
public final class Claims {
    /** What a message's claim says. */
    public enum Claim { TAKEN, STOPPING, STOPPED }

    /** What the dispatcher may do with a message it read from its queue. */
    public enum Take {
        /** Send it: it is the dispatcher's until {@link #release}. */
        SEND,
        /** A cancel or hold is being written: read it again in a moment. */
        WAIT,
        /** Cancelled or held (or already being sent from another queue entry): pass it by. */
        SKIP
    }

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();

    /** The dispatcher read {@code id} from its queue. */
    public Take take(String id) {
        Claim before = claims.putIfAbsent(id, Claim.TAKEN);
        if (before == null) {
            return Take.SEND;
        }
        if (before == Claim.STOPPING) {
            return Take.WAIT;
        }
        if (before == Claim.STOPPED) {
            claims.remove(id, Claim.STOPPED); // met: nothing else will look for it
        }
        return Take.SKIP;
    }

    /** The dispatcher is done with {@code id}: every part submitted, failed or expired, and its events handed to the journal. */
    public void release(String id) {
        claims.remove(id, Claim.TAKEN);
    }

    /** The journal thread would stop {@code id}: true if the dispatcher has not taken it (it will not, until {@link #stopped} or {@link #abandon}). */
    public boolean stop(String id) {
        Claim before = claims.putIfAbsent(id, Claim.STOPPING);
        return before == null || before == Claim.STOPPED;
    }

    /** The stop is in the journal: the dispatcher passes the message by. */
    public void stopped(String id) {
        claims.replace(id, Claim.STOPPING, Claim.STOPPED);
    }

    /** The stop could not be written: the message goes out as usual. */
    public void abandon(String id) {
        claims.remove(id, Claim.STOPPING);
    }

    /**
     * Operator → messages queued again (released: a resumed hold, a schedule come due) while its dispatcher still had
     * queue entries from before this process started to read. Such an older entry of one of them is stale: the
     * message's state says queued again, but the newer entry is the one that sends it (else it would go out twice).
     */
    private final ConcurrentHashMap<String, java.util.Set<String>> requeued = new ConcurrentHashMap<>();
    private final java.util.Set<String> recovered = ConcurrentHashMap.newKeySet();

    /** The journal thread queued {@code id} again for {@code operator}. */
    public void requeued(String operator, String id) {
        if (!recovered.contains(operator)) {
            requeued.computeIfAbsent(operator, k -> ConcurrentHashMap.newKeySet()).add(id);
        }
    }

    /**
     * Whether {@code operator}'s dispatcher should pass by the entry of {@code id} it read: one from before the start
     * ({@code fromBeforeStart}) whose message was queued again since. The first entry from after the start means every
     * older one has been read: nothing more to remember for the operator.
     */
    public boolean stale(String operator, String id, boolean fromBeforeStart) {
        if (!fromBeforeStart) {
            if (!recovered.contains(operator) && recovered.add(operator)) { // a read, not a write, for every later message
                requeued.remove(operator);
            }
            return false;
        }
        java.util.Set<String> ids = requeued.get(operator);
        return ids != null && ids.contains(id);
    }

    /** Claims held now (taken and stopped), for tests and status. */
    public int size() {
        return claims.size();
    }
}
