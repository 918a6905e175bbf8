package smppgw.store.chronicle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import smppgw.journal.Command;
import smppgw.journal.JournalThread;
import smppgw.model.AcceptResult;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.store.MessageStore;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.model.OptOut;
import smppgw.model.Receipt;

/**
 * {@link MessageStore} on Chronicle Queue (journal and operator queues, memory-mapped, append-only) and
 * RocksDB (the views derived from the journal). Layout under the data directory: {@code journal/},
 * {@code queues/<operator>/}, {@code state/}.
 */
public final class ChronicleMessageStore implements MessageStore {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleMessageStore.class);

    final Journal journal;
    final StateDb db;
    final JournalThread writer;
    final Thread writerThread;
    private final Observers observers;
    private final Retention retention;
    private final ChronicleLog log;
    private final RocksState state;
    private volatile boolean closed;

    /** Called on the journal thread when a message becomes READ: (message, via, millis since it was accepted). */
    public void onRead(smppgw.store.ReadListener listener) {
        observers.onRead = listener;
    }

    /** Called on the journal thread with (operator, reason) for each receipt not put on a message when it came. */
    public void onReceiptUnmatched(java.util.function.BiConsumer<String, String> listener) {
        observers.unmatched = listener;
    }

    /** What an SMSC account's receipts have shown of their id format (read from the committed state). */
    public smppgw.model.ReceiptIdFormat.Learning receiptIdFormat(String account) {
        return Optional.ofNullable(db.get(db.meta, Codec.utf8("idformat:" + account))).map(v -> Codec.read(v, smppgw.model.ReceiptIdFormat.Learning.class))
                .orElse(smppgw.model.ReceiptIdFormat.Learning.NONE);
    }

    /** Called on the journal thread with (operator, millis from SUBMITTED to the receipt) for each receipt matched on arrival. */
    public void onReceiptLatency(java.util.function.ObjLongConsumer<String> listener) {
        observers.receiptLatency = listener;
    }

    ChronicleMessageStore(Journal journal, StateDb db, JournalThread writer, Observers observers, Retention retention,
                                  ChronicleLog log, RocksState state) {
        this.journal = journal;
        this.db = db;
        this.writer = writer;
        this.observers = observers;
        this.retention = retention;
        this.log = log;
        this.state = state;
        this.writerThread = new Thread(writer, "smppgw-journal");
    }

    /** With no client notifications. */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Duration receiptWindow, int maxBatch,
                                             int commandQueue, Clock clock, StateLog stateLog) {
        return open(dataDir, operators, Set.of(), Map.of(), receiptWindow, maxBatch, commandQueue, clock, stateLog);
    }

    /**
     * Opens (or creates) the store, replays what the last run did not apply, and starts the journal thread.
     * @param notified clients with a notification queue (SMPP receipts/MO, webhooks)
     * @param moRoutes number a handset writes to → client it is routed to
     */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                             Duration receiptWindow, int maxBatch, int commandQueue, Clock clock, StateLog stateLog) {
        return open(dataDir, operators, notified, moRoutes, Map.of(), Duration.ZERO, receiptWindow, maxBatch, commandQueue, clock, stateLog);
    }

    /**
     * @param receiptDomains operator → the operator its receipts are matched under (operators binding to one SMSC account share
     *                       one: an SMSC may deliver a receipt on any bind of the account); an operator not in it is its own
     * @param replyWindow    a handset message from a number within this time after a message to it, sent to that message's sender
     *                       address, marks it READ via reply (zero: never); set here so a replay matches replies as the live run did
     */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                             Map<String, String> receiptDomains, Duration replyWindow, Duration receiptWindow, int maxBatch,
                                             int commandQueue, Clock clock, StateLog stateLog) {
        return open(dataDir, operators, notified, moRoutes, receiptDomains, replyWindow, receiptWindow, Duration.ZERO, maxBatch, commandQueue,
                clock, stateLog);
    }

    /** @param retention how long text and numbers are kept (zero: forever; {@link Retention}); daily files follow {@code clock} */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                             Map<String, String> receiptDomains, Duration replyWindow, Duration receiptWindow,
                                             Duration retention, int maxBatch, int commandQueue, Clock clock, StateLog stateLog) {
        return open(dataDir, operators, notified, moRoutes, receiptDomains, Map.of(), Map.of(), replyWindow, receiptWindow, retention,
                maxBatch, commandQueue, clock, stateLog, "");
    }

    /**
     * @param idFormats          SMSC account → its receipt id format, for accounts that do not learn it
     * @param queryAfterMs       operator → how long after its submit a part without a final receipt is asked about (query_sm)
     * @param defaultCountryCode for handset numbers an SMSC writes in national form (reply matching)
     */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                             Map<String, String> receiptDomains, Map<String, smppgw.model.ReceiptIdFormat> idFormats,
                                             Map<String, Long> queryAfterMs, Duration replyWindow, Duration receiptWindow, Duration retention, int maxBatch,
                                             int commandQueue, Clock clock, StateLog stateLog, String defaultCountryCode) {
        return open(dataDir, operators, notified, moRoutes, receiptDomains, idFormats, queryAfterMs, replyWindow, receiptWindow, retention,
                maxBatch, commandQueue, clock, stateLog, defaultCountryCode, smppgw.policy.Keywords.defaults(), true, -1);
    }

    /** @param keywords the opt-out and opt-in keywords handset messages are matched against, on the journal thread
     *  @param journalThread false: a warm standby's copy, which writes nothing ({@link JournalMirror#apply})
     *  @param shard the shard of a sharded group this journal is (its message ids carry it, {@link smppgw.model.Ids}), or -1 */
    public static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                             Map<String, String> receiptDomains, Map<String, smppgw.model.ReceiptIdFormat> idFormats,
                                             Map<String, Long> queryAfterMs, Duration replyWindow, Duration receiptWindow, Duration retention, int maxBatch,
                                             int commandQueue, Clock clock, StateLog stateLog, String defaultCountryCode,
                                             smppgw.policy.Keywords keywords, boolean journalThread, int shard) {
        return StoreOpening.open(dataDir, operators, notified, moRoutes, receiptDomains, idFormats, queryAfterMs, replyWindow, receiptWindow,
                retention, maxBatch, commandQueue, clock, stateLog, defaultCountryCode, keywords, journalThread, shard);
    }

    @Override
    public CompletableFuture<List<AcceptResult>> accept(List<NewMessage> messages) {
        return ask(done -> new Command.Accept(List.copyOf(messages), done, System.nanoTime()));
    }

    /** A command someone waits for: its answer, or the store's refusal. */
    private <T> CompletableFuture<T> ask(java.util.function.Function<CompletableFuture<T>, Command> command) {
        CompletableFuture<T> done = new CompletableFuture<>();
        submit(command.apply(done), done);
        return done;
    }

    /** Hands a command to the journal thread; a refusal (store unavailable, disk full) completes {@code done} with it. */
    private void submit(Command c, CompletableFuture<?> done) {
        try {
            writer.submit(c);
        } catch (smppgw.store.StoreUnavailableException e) {
            done.completeExceptionally(e);
        }
    }

    @Override
    public void record(String messageId, String operator, Event event) {
        writer.submit(new Command.Record(messageId, operator, event));
    }

    @Override
    public CompletableFuture<Void> recordReceipt(Receipt receipt) {
        return ask(done -> new Command.StoreReceipt(receipt, done));
    }

    @Override
    public CompletableFuture<Inbound> recordInbound(Inbound inbound) {
        return ask(done -> new Command.StoreInbound(inbound, done));
    }

    @Override
    public CompletableFuture<Void> recordOptOut(OptOut change) {
        return ask(done -> new Command.StoreOptOut(change, done));
    }

    @Override
    public CompletableFuture<Void> putCampaign(smppgw.model.CampaignSettings settings) {
        return ask(done -> new Command.StoreCampaign(settings, done));
    }

    @Override
    public Optional<smppgw.model.CampaignSettings> campaign(String client, String campaign) {
        return Optional.ofNullable(db.campaignSettings(client, campaign));
    }

    @Override
    public CompletableFuture<smppgw.model.Redemption> redeem(String code, String client) {
        return ask(done -> new Command.Redeem(code, client, done));
    }

    @Override
    public CompletableFuture<List<String>> reserve(List<smppgw.model.RefReservation> reservations) {
        return ask(done -> new Command.Reserve(reservations, done));
    }

    @Override
    public List<smppgw.model.CampaignSettings> campaigns() {
        return db.allCampaignSettings();
    }

    @Override
    public void forCampaign(String campaign, java.util.function.Consumer<String> visit) {
        db.forCampaign(campaign, visit);
    }

    @Override
    public Optional<smppgw.model.Link> link(String token) {
        return Optional.ofNullable(db.link(token));
    }

    @Override
    public Optional<smppgw.model.Consent> consent(String client, String number) {
        return Optional.ofNullable(db.consent(client, number));
    }

    @Override
    public Optional<smppgw.model.ReadProfile> readProfile(String key) {
        return Optional.ofNullable(db.readProfile(key));
    }

    @Override
    public List<smppgw.model.Consent> optOuts(String client, String after, int limit) {
        return db.optOuts(client, after, limit);
    }

    /** Runs retention now (it also runs every 10 minutes): completes with what it removed once its files are compacted. */
    @Override
    public CompletableFuture<smppgw.model.PurgeReport> purge() {
        return ask(done -> new Command.Purge(done));
    }

    /** Told what each retention purge removed (on the journal thread). */
    public void onPurge(java.util.function.Consumer<smppgw.model.PurgeReport> listener) {
        writer.onPurge = listener;
    }

    @Override
    public CompletableFuture<Boolean> hold(String id, String client, boolean pause) {
        return ask(done -> new Command.Hold(id, client, pause, done));
    }

    @Override
    public CompletableFuture<smppgw.model.Cancellation> cancel(String id, String client) {
        return ask(done -> new Command.Cancel(id, client, done));
    }

    @Override
    public CompletableFuture<Boolean> reschedule(String id, String client, long until) {
        return ask(done -> new Command.Reschedule(id, client, until, done));
    }

    @Override
    public smppgw.store.Claims claims() {
        return writer.claims();
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return ask(done -> new Command.Barrier(done));
    }

    @Override
    public org.HdrHistogram.Histogram acceptLatencySinceLastCall() {
        return writer.acceptLatencySinceLastCall();
    }

    @Override
    public Optional<MessageView> find(String id) {
        Message m = db.message(id);
        return m == null ? Optional.empty() : Optional.of(MessageView.of(m, db.events(id)));
    }

    @Override
    public Optional<String> findByClientRef(String client, String clientRef) {
        return Optional.ofNullable(db.ref(client + '\u0000' + clientRef));
    }

    @Override
    public List<Inbound> recentInbound(int limit) {
        return db.recentInbound(limit).stream().map(b -> Codec.read(b, Inbound.class)).toList();
    }

    @Override
    public QueueReader openQueue(String operator) {
        return new ChronicleQueueReader(journal.queue(operator), operator, db, this::commitCursor, journal);
    }

    @Override
    public NotificationReader openNotifications(String client, String reader) {
        return new ChronicleNotificationReader(journal.notifications(client), "notify/" + client + "/" + reader, db, this::commitCursor);
    }

    private void commitCursor(String operator, long index) {
        if (writer.unavailable() == null) {
            writer.submit(new Command.Cursor(operator, index));
        }
    }

    @Override
    public List<DueQuery> dueQueries(String operator, long now, int max) {
        return db.dueQueries(operator, now, max);
    }

    @Override
    public void queryDone(DueQuery q) {
        queryLater(q, -1);
    }

    @Override
    public void queryLater(DueQuery q, long at) {
        if (writer.unavailable() == null) {
            writer.submit(new Command.Requery(q, at));
        }
    }

    @Override
    public boolean isWritable() {
        return !closed && writer.unavailable() == null;
    }

    /** Null while the store takes writes; else why not: {@code disk_full}, {@code catching_up: ...}, {@code closed}. */
    public String unavailable() {
        return closed ? "closed" : writer.health();
    }

    /** Free space is below the disk guard's floor: intake, receipts, MO and housekeeping wait; dispatchers' events go in. */
    public void lowSpace(boolean low) {
        writer.lowSpace(low);
    }

    /** {@code store.type: kafka}: answers wait for {@code d} (a replica's acknowledgement of what {@link #tail} reads). */
    public void durability(smppgw.journal.Durability d) {
        writer.durability(d);
    }

    public smppgw.store.JournalTail tail(long afterIndex) {
        return journal.tail(afterIndex);
    }

    /** How many journal records the state had not seen when the store opened (applied then). */
    public long replayedAtOpen() {
        return writer.recovered();
    }

    /** Stops taking writes, applies what is queued, then closes the queues and the database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.stop();
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            LOG.error("journal thread did not stop within 30 s; closing anyway");
        }
        retention.close();
        log.close();
        state.close();
        db.close();
        journal.close();
    }
}
