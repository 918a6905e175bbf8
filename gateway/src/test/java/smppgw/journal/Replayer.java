package smppgw.journal;

import java.util.Map;
import java.util.Set;

import smppgw.state.MemoryState;

/** A journal in memory: entries get increasing indexes and are projected onto a {@link MemoryState}, as the journal thread does. */
public final class Replayer {
    public final MemoryState state = new MemoryState();
    private final Projection projection;
    private long index;

    public Replayer(Set<String> notified, Map<String, String> moRoutes, Map<String, String> accounts, long replyWindowMs) {
        projection = new Projection(notified, moRoutes, accounts, replyWindowMs, "33");
    }

    public Replayer() {
        this(Set.of(), Map.of(), Map.of(), 48 * 3600_000L);
    }

    /** A handset message as the journal thread takes it: its keyword decided on the state so far, then journaled. */
    public smppgw.model.Inbound receive(smppgw.model.Inbound mo) {
        smppgw.model.Inbound decided = projection.optOuts().decide(mo, state);
        write(Entry.inbound(decided));
        return decided;
    }

    /** Journals an entry; returns its index. */
    public long write(Entry e) {
        projection.project(e, null, ++index, state, state);
        return index;
    }
}
