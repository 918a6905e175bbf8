package smppgw.journal;

import java.util.concurrent.CompletableFuture;

import smppgw.model.PurgeReport;

/** Retention, run in steps between the journal thread's batches (the state batch is empty then). */
public interface Maintenance {
    boolean enabled();

    /** One step; true while more is left. */
    boolean step(long now) throws Exception;

    /** After the last step: what went; files and compaction off the journal thread. */
    CompletableFuture<PurgeReport> finish(long now);
}
