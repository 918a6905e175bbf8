package smppgw.journal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import smppgw.model.AcceptResult;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.NewMessage;
import smppgw.model.OptOut;
import smppgw.model.Receipt;

/** What the journal thread is asked to do. */
public sealed interface Command {
    /** {@code enqueuedAt}: System.nanoTime() when handed to the journal thread, for the store-latency histogram. */
    record Accept(List<NewMessage> messages, CompletableFuture<List<AcceptResult>> done, long enqueuedAt) implements Command {
    }

    record Record(String id, String operator, Event event) implements Command {
    }

    record StoreReceipt(Receipt receipt, CompletableFuture<Void> done) implements Command {
    }

    /** {@code done}: the handset message as journaled, with the opt-out or opt-in it was found to make. */
    record StoreInbound(Inbound inbound, CompletableFuture<Inbound> done) implements Command {
    }

    record StoreOptOut(OptOut change, CompletableFuture<Void> done) implements Command {
    }

    record StoreCampaign(smppgw.model.CampaignSettings settings, CompletableFuture<Void> done) implements Command {
    }

    record Cursor(String operator, long index) implements Command {
    }

    /** Journals how far a client's notifications have been served ({@link Entry.Served}); nobody waits for it. */
    record Served(String client, long through) implements Command {
    }

    /** A query_sm entry: dropped ({@code nextAt} -1), or moved to {@code nextAt} with one attempt more. State only, not journaled. */
    record Requery(smppgw.store.MessageStore.DueQuery query, long nextAt) implements Command {
    }

    /** Holds ({@code pause}) or resumes a scheduled or queued message of {@code client} (null: any); completes with whether it changed. */
    record Hold(String id, String client, boolean pause, CompletableFuture<Boolean> done) implements Command {
    }

    /** Cancels a scheduled or queued message of {@code client} (null: any); completes with what became of it. */
    record Cancel(String id, String client, CompletableFuture<smppgw.model.Cancellation> done) implements Command {
    }

    /** Moves a scheduled message of {@code client} (null: any) to {@code until}; completes with whether it did. */
    record Reschedule(String id, String client, long until, CompletableFuture<Boolean> done) implements Command {
    }

    /** Completes once every command submitted before it is applied. */
    record Redeem(String code, String client, CompletableFuture<smppgw.model.Redemption> done) implements Command {
    }

    /** Completes when a whole retention purge started after it is done (files deleted, database compacted). */
    record Purge(CompletableFuture<smppgw.model.PurgeReport> done) implements Command {
    }

    /**
     * Holds (or gives back) client_refs for other shards' messages; completes with one answer each, in order: null when
     * held (or already held for the same message), else the id of the message the reference names here ("" when it is
     * held for another message of another shard). See {@link smppgw.intake.AcceptRule#reserve}.
     */
    record Reserve(List<smppgw.model.RefReservation> reservations, CompletableFuture<List<String>> done) implements Command {
    }

    record Barrier(CompletableFuture<Void> done) implements Command {
    }
}
