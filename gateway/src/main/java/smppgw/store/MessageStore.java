package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Link;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.model.Notification;
import smppgw.model.OptOut;
import smppgw.model.PurgeReport;
import smppgw.model.QueueEntry;
import smppgw.model.Receipt;
import smppgw.model.Redemption;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable message storage: the journal of every state change, one queue per operator, and the views
 * derived from them. Futures complete only after the write is on disk (survives kill -9); every write is
 * applied in journal order, so a receipt that arrives before its submit_sm_resp still finds its message.
 */
public interface MessageStore extends AutoCloseable {

    /** Stores messages (one write for the batch); results in the same order. */
    CompletableFuture<List<AcceptResult>> accept(List<NewMessage> messages);

    /** Appends an event to a message's history. Ordered with every other write; fire and forget. */
    void record(String messageId, String operator, Event event);

    /** Stores a receipt and matches it to its message (now, or when its SUBMITTED is recorded). */
    CompletableFuture<Void> recordReceipt(Receipt receipt);

    /** Journals a handset message; completes with it as journaled (with the opt-out or opt-in it was found to make). */
    CompletableFuture<Inbound> recordInbound(Inbound inbound);

    Optional<MessageView> find(String id);

    /** Calls {@code visit} with the id of every message of a campaign, oldest first. Any thread. */
    void forCampaign(String campaign, java.util.function.Consumer<String> visit);

    /** The tracking link with this token, if one was issued. Any thread. */
    Optional<Link> link(String token);

    /**
     * Redeems a promo code, once: the first redemption marks its message READ via code; later ones, and codes
     * that do not exist or belong to another client ({@code client} non-null), are reported as such.
     */
    CompletableFuture<Redemption> redeem(String code, String client);

    /**
     * Holds client_refs for messages of other shards, or gives them back (a sharded group's core of the references'
     * shard); one answer each: null when held, else the conflict ({@link smppgw.intake.AcceptRule#reserve}).
     */
    CompletableFuture<List<String>> reserve(List<smppgw.model.RefReservation> reservations);

    /** Journals a number leaving ({@code out}) or re-joining lists ({@link OptOut#scope}); completes once durable. */
    CompletableFuture<Void> recordOptOut(OptOut change);

    /** Where a number stands with a client (null: the gateway's own list), if anything was ever recorded. Any thread. */
    Optional<smppgw.model.Consent> consent(String client, String number);

    /**
     * A client's list (null: the gateway's own; {@link #ALL_LISTS}: every list) in number order, numbers on it only,
     * after {@code after} (null: from the start), at most {@code limit}.
     */
    List<smppgw.model.Consent> optOuts(String client, String after, int limit);

    /** For {@link #optOuts}: every list, the gateway's and each client's. */
    String ALL_LISTS = "\u0000all";

    Optional<String> findByClientRef(String client, String clientRef);

    /**
     * How long accepts took inside the store (queue to the journal thread, journal and queue appends, state
     * commit), in microseconds, since the previous call.
     */
    org.HdrHistogram.Histogram acceptLatencySinceLastCall();

    /** Messages from handsets, newest first. */
    List<Inbound> recentInbound(int limit);

    /** The operator's queue, read from its committed cursor. One reader per operator, used by one thread. */
    QueueReader openQueue(String operator);

    /**
     * A client's notifications from a named reader's committed cursor ({@code "smpp"}, {@code "webhook"}).
     * One reader per name per client, used by one thread.
     */
    NotificationReader openNotifications(String client, String reader);

    /** Reads a client's notifications. Not thread-safe. */
    interface NotificationReader extends AutoCloseable {
        /** The next notification with its queue index, or null when there is none for now. */
        Indexed next();

        /** Everything before {@code index} is done with; a restart resumes from there. */
        void commit(long index);

        long position();

        @Override
        void close();
    }

    record Indexed(long index, Notification notification) {
    }

    /** True while the store accepts writes. */
    boolean isWritable();

    /** Sets a client's campaign defaults (journaled: they survive restarts); completes once durable. */
    CompletableFuture<Void> putCampaign(CampaignSettings settings);

    /** Holds (pause) or resumes a scheduled or queued (not yet taken) message of {@code client} (null: any); true if it changed, once durable. */
    CompletableFuture<Boolean> hold(String id, String client, boolean pause);

    /**
     * Cancels a scheduled or queued message of {@code client} (null: any); completes once the cancel is durable, or with
     * why not (a queued message its dispatcher has already taken is too late: it may be on the wire).
     */
    CompletableFuture<smppgw.model.Cancellation> cancel(String id, String client);

    /** Moves a scheduled message of {@code client} (null: any) to {@code until} (held or not: no longer held); true if it did, once durable. */
    CompletableFuture<Boolean> reschedule(String id, String client, long until);

    /** Who has each queued message: its dispatcher sending it, or a cancel or hold stopping it. */
    smppgw.store.Claims claims();

    /** Completes once everything submitted before it (events recorded with {@link #record} too) is durable. */
    CompletableFuture<Void> barrier();

    /** A read profile ({@link smppgw.model.ReadProfile#keys}): when that recipient, campaign or client read soonest. Any thread. */
    Optional<smppgw.model.ReadProfile> readProfile(String key);

    /** Every client's campaign settings (the follow-up scheduler walks them). Any thread. */
    List<CampaignSettings> campaigns();

    /** A client's campaign defaults, if it set any. */
    Optional<CampaignSettings> campaign(String client, String campaign);

    /** Runs retention now: completes with what it removed (text and numbers of old messages, old files). */
    CompletableFuture<PurgeReport> purge();

    @Override
    void close();

    /** Reads one operator's queue. Not thread-safe. */
    interface QueueReader extends AutoCloseable {
        /** The next entry, or null when the queue is drained for now. */
        QueueEntry next();

        /**
         * Entries at or below this index were in the queue when the store opened: they may have been sent
         * before a crash, so the reader checks their state before handing them out again.
         */
        long recoveryEnd();

        /** Everything before {@code index} is resolved; a restart resumes from there. */
        void commit(long index);

        /** Index of the next entry {@link #next()} would read. */
        long position();

        /** Entries not yet read. */
        long backlog();

        /** Moves back to the entry at {@code index}: the next {@link #next()} reads it again. */
        void rewind(long index);

        @Override
        void close();
    }

    /** A submitted part to ask about with query_sm: when, under which SMSC id, which message part, how many times asked. */
    record DueQuery(String operator, long at, String smscId, String id, Integer part, Integer parts, long submittedAt, int attempts) {
    }

    /** An operator's query_sm due at or before {@code now} (from the committed state: they survive restarts), earliest first. */
    default List<DueQuery> dueQueries(String operator, long now, int max) {
        return List.of();
    }

    /** The query is answered or no longer needed. */
    default void queryDone(DueQuery q) {
    }

    /** Ask again at {@code at} (one attempt more). */
    default void queryLater(DueQuery q, long at) {
    }
}
