package smppgw.api.smpp;

import java.util.HashMap;
import java.util.Map;

/**
 * Failed binds back off, per system-id and per peer address: the first {@link #FREE} failures of a system-id
 * ({@link #FREE_PER_ADDRESS} of an address, which integrators behind one NAT share), with no quiet
 * {@link #WINDOW_MS} (after any lockout) between them, cost nothing; each one after locks it out, for {@link #FIRST_LOCK_MS} and then twice as long as the last each time (30 s,
 * 1 min, 2 min ... at most {@link #MAX_LOCK_MS}). While locked, binds are refused without looking at the
 * password, so guessing learns nothing; a successful bind clears its system-id and address. Monotonic time in; not
 * thread-safe (the server calls it under its lock).
 */
final class BindGuard {
    static final int FREE = 5;
    static final int FREE_PER_ADDRESS = 20;
    static final long WINDOW_MS = 10 * 60_000L;
    static final long FIRST_LOCK_MS = 30_000L;
    static final long MAX_LOCK_MS = 15 * 60_000L;

    private static final class Record {
        int failures;
        long lastAt;
        long lockedUntil;
        long lockMs;
    }

    private final Map<String, Record> bySystemId = new HashMap<>();
    private final Map<String, Record> byAddress = new HashMap<>();

    /** What a failure did: nothing yet, or started a lockout of {@code ms} (on the system-id, the address, or both). */
    record Outcome(long systemIdLockMs, long addressLockMs) {
        boolean lockedOut() {
            return systemIdLockMs > 0 || addressLockMs > 0;
        }
    }

    /** Whether binds as {@code systemId} or from {@code address} are refused now, and until when (0: not locked). */
    long lockedUntil(String systemId, String address, long nowMs) {
        long until = 0;
        for (Record r : new Record[] {bySystemId.get(key(systemId)), byAddress.get(address)}) {
            if (r != null && r.lockedUntil > nowMs) {
                until = Math.max(until, r.lockedUntil);
            }
        }
        return until;
    }

    Outcome failed(String systemId, String address, long nowMs) {
        expire(nowMs);
        return new Outcome(fail(bySystemId.computeIfAbsent(key(systemId), k -> new Record()), nowMs, FREE),
                fail(byAddress.computeIfAbsent(address, k -> new Record()), nowMs, FREE_PER_ADDRESS));
    }

    void succeeded(String systemId, String address) {
        bySystemId.remove(key(systemId));
        byAddress.remove(address);
    }

    private static long fail(Record r, long nowMs, int free) {
        if (r.failures > 0 && nowMs - Math.max(r.lastAt, r.lockedUntil) > WINDOW_MS) {
            r.failures = 0; // quiet for the window: counting starts again
            r.lockMs = 0;
        }
        r.failures++;
        r.lastAt = nowMs;
        if (r.failures <= free) {
            return 0;
        }
        r.lockMs = r.lockMs == 0 ? FIRST_LOCK_MS : Math.min(MAX_LOCK_MS, r.lockMs * 2);
        r.lockedUntil = nowMs + r.lockMs;
        return r.lockMs;
    }

    /** Forgets records idle for longer than the window and not locked: the maps stay as small as the attack. */
    private void expire(long nowMs) {
        if (bySystemId.size() + byAddress.size() < 10_000) {
            return;
        }
        bySystemId.values().removeIf(r -> nowMs - Math.max(r.lastAt, r.lockedUntil) > WINDOW_MS);
        byAddress.values().removeIf(r -> nowMs - Math.max(r.lastAt, r.lockedUntil) > WINDOW_MS);
    }

    private static String key(String systemId) {
        return systemId == null ? "" : systemId;
    }
}
