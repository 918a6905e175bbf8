package smppgw.store;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The entries a queue reader has handed out but not yet seen resolved, for its cursor: the cursor commits up to the
 * oldest of them, so a restart resumes there (entries resolved after it are read again: at-least-once). It also says
 * how far the reader has run past that oldest one, which bounds what a restart repeats. {@link #read()} and
 * {@link #add} are called by the reader's thread; {@link #done} by any.
 */
public final class Unacknowledged {
    /** Queue index → how many entries had been read when it was. */
    private final ConcurrentSkipListMap<Long, Long> pending = new ConcurrentSkipListMap<>();
    private long read;

    /** Counts one entry read (whether or not it needs acknowledging). */
    public void read() {
        read++;
    }

    public void add(long index) {
        pending.put(index, read);
    }

    public void done(long index) {
        pending.remove(index);
    }

    /** True once {@code max} or more entries have been read since the oldest one still pending. */
    public boolean tooFarAhead(long max) {
        Map.Entry<Long, Long> oldest = pending.firstEntry(); // null when empty (resolving threads may empty it meanwhile)
        return oldest != null && read - oldest.getValue() >= max;
    }

    /** Where the cursor may go: the oldest pending entry, else {@code position}, whichever is first. */
    public long commitPoint(long position) {
        Map.Entry<Long, Long> oldest = pending.firstEntry();
        return oldest == null ? position : Math.min(oldest.getKey(), position);
    }
}
