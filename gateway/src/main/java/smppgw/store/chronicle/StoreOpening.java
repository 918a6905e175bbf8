package smppgw.store.chronicle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import smppgw.journal.JournalThread;
import smppgw.journal.Projection;

/** Opens a {@link ChronicleMessageStore}: the journal, the state, the recovery of what the state has not seen, the journal thread. */
final class StoreOpening {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleMessageStore.class);

    private StoreOpening() {
    }

    static ChronicleMessageStore open(Path dataDir, List<String> operators, Set<String> notified, Map<String, String> moRoutes,
                                      Map<String, String> receiptDomains, Map<String, smppgw.model.ReceiptIdFormat> idFormats,
                                      Map<String, Long> queryAfterMs, Duration replyWindow, Duration receiptWindow, Duration retention, int maxBatch,
                                      int commandQueue, Clock clock, StateLog stateLog, String defaultCountryCode,
                                      smppgw.policy.Keywords keywords, boolean journalThread, int shard) {
        Journal journal = new Journal(dataDir, operators, List.copyOf(notified), clock::millis);
        StateDb db;
        try {
            db = new StateDb(dataDir.resolve("state"));
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        ChronicleLog log = new ChronicleLog(journal, List.copyOf(notified));
        RocksState state = new RocksState(db);
        Observers observers = new Observers(stateLog);
        Retention purge = new Retention(retention.toMillis(), db, journal);
        smppgw.journal.Maintenance maintenance = purge.maintenance(state);
        Projection projection = new Projection(notified, moRoutes, receiptDomains, idFormats, queryAfterMs, replyWindow.toMillis(),
                defaultCountryCode, keywords);
        JournalThread writer = new JournalThread(log, state, projection, clock, observers, receiptWindow, maxBatch, commandQueue, maintenance, operators,
                new smppgw.model.Ids(new java.security.SecureRandom(), shard));
        try {
            long t0 = System.nanoTime();
            long replayed = writer.recover(!journalThread);
            if (replayed > 0 && journalThread) {
                LOG.info("replayed {} journal records in {} ms", replayed, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        } catch (Exception e) {
            log.close();
            state.close();
            db.close();
            journal.close();
            throw new IllegalStateException("store recovery failed: " + e.getMessage(), e);
        }
        ChronicleMessageStore store = new ChronicleMessageStore(journal, db, writer, observers, purge, log, state);
        if (journalThread) {
            store.writerThread.start();
        }
        return store;
    }
}
