package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.config.GatewayConfig;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.JournalMirror;
import smppgw.store.chronicle.JournalRestore;
import smppgw.store.kafka.JournalFollower;

/**
 * A standby of a failover group keeping its data directory a copy of the group's ({@code cluster.warm-standby}, the
 * default): one thread follows the group's journal topic ({@link JournalFollower}), appends each record to the local
 * journal at its index ({@link JournalMirror}) and applies them to a copy of the store opened without its journal
 * thread — state, operator queues and notification queues, exactly as the recovery of a restored journal would, but a
 * batch at a time while the active node runs. Taking over then finds the local journal already ending where the topic
 * ends: nothing to read from Kafka and only the last second's records to replay, however long the journal.
 *
 * <p>The copy writes no journal record and does no timed work (receipt window, retention, releases): the active node
 * journals those, and the copy applies them. Before the node serves from it, each client's notification readers are
 * moved past what the active node had served ({@link JournalMirror#beforeServing}). A local journal that turns out not
 * to be the start of the group's (this node wrote records that never reached Kafka before another node went on) is set
 * aside and the copy made again from the topic's beginning, as a cold takeover would.
 */
final class WarmStandby implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmStandby.class);
    /** Records read from the topic before the state is brought up to them (a long catch-up still applies as it goes). */
    private static final long BATCH = 100_000;
    private static final long IDLE_MS = 500;
    private static final long RETRY_MS = 5_000;

    private final GatewayConfig config;
    private final Clock clock;
    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private JournalFollower follower;
    private JournalMirror mirror;
    private ChronicleMessageStore copy;
    private final AtomicLong copied = new AtomicLong();
    private final AtomicLong topicRecords = new AtomicLong();
    private volatile long behind = -1;
    private volatile String problem;

    private WarmStandby(GatewayConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.thread = new Thread(this::run, "smppgw-warm-standby");
        thread.setDaemon(true);
    }

    /** Starts following the group's journal into {@code config}'s data directory. */
    static WarmStandby start(GatewayConfig config, Clock clock) {
        WarmStandby w = new WarmStandby(config, clock);
        w.thread.start();
        return w;
    }

    /** Journal records appended to the local copy since this standby began. */
    long copied() {
        return copied.get();
    }

    /** Records of the group's topic read since this standby began (fences and records left out included). */
    long read() {
        return topicRecords.get();
    }

    /** Records of the group's topic not yet copied (-1: not known yet). */
    long behind() {
        return behind;
    }

    /** Why the copy does not follow right now (it tries again every 5 s), or null. */
    String problem() {
        return problem;
    }

    private void run() {
        while (running) {
            long read;
            try {
                read = step();
                problem = null;
            } catch (Exception e) {
                problem = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warn("warm standby: cannot follow the group's journal ({}); trying again in {} s", problem, RETRY_MS / 1000);
                release(); // the next try starts from the local journal's end as a new reader of the topic: nothing read is skipped
                mirror = null;
                read = -1;
            }
            if (read < BATCH) {
                synchronized (lock) {
                    if (running) {
                        try {
                            lock.wait(read < 0 ? RETRY_MS : IDLE_MS);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    /** Reads what the topic has (up to a batch), appends it, applies it. Returns how many topic records were read. */
    private long step() throws Exception {
        if (follower == null) {
            DataDir.create(config.dataDir());
            follower = new JournalFollower(config.store().kafka());
            mirror = null;
        }
        if (mirror == null) {
            mirror = new JournalMirror(config.dataDir());
            JournalFollower.ResumePoint p = JournalFollower.ResumePoint.load(config.dataDir());
            if (p != null && p.index() <= mirror.end() && follower.resume(p, JournalRestore.record(config.dataDir(), p.index()))) {
                if (p.index() == mirror.end()) {
                    mirror.resumedAtEnd(); // not the whole topic again to find where the local journal ends in it
                } // else (a kill -9 while active: its point is a few seconds old) the records up to the local end are compared as they come
                LOG.info("warm standby: following Kafka topic {} from offset {} (the local journal's record {}, its last {})", p.topic(), p.offset(),
                        Long.toHexString(p.index()), Long.toHexString(mirror.end()));
            }
        }
        long[] read = {0};
        long appended = mirror.append(v -> read[0] = follower.read(BATCH, v));
        if (appended < 0) {
            closeCopy();
            LOG.warn("warm standby: the local journal is not the failover group's (it went on differently): set aside in {}; copying the"
                    + " group's journal from the beginning of Kafka topic {}", JournalRestore.setAside(config.dataDir()), config.store().kafka().journalTopic());
            mirror = null;
            follower.rewind();
            return BATCH; // at once
        }
        copied.addAndGet(appended);
        topicRecords.addAndGet(read[0]);
        JournalFollower.ResumePoint at = follower.resumePoint();
        if (appended > 0 && at != null && at.index() == mirror.end()) {
            at.save(config.dataDir()); // a restart of this standby goes on from here
        }
        if (copy == null) {
            if (mirror.end() < 0) {
                behind = follower.behind();
                return read[0]; // nothing to open a store on yet
            }
            long t0 = System.nanoTime();
            copy = Replication.store(config, clock, false); // applies what the state has not seen
            LOG.info("warm standby: copy of the failover group's state opened in {} ms (journal through index {})",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), Long.toHexString(mirror.end()));
        } else if (appended > 0) {
            JournalMirror.apply(copy);
        }
        behind = follower.behind();
        return read[0];
    }

    /**
     * Stops following and leaves the data directory ready to serve from: the last records the topic has appended and
     * applied, the notification readers moved past what was served, the copy closed. What it cannot do is left to the
     * ordinary takeover (which reads the topic itself).
     */
    void handOver() {
        stopThread();
        if (thread.isAlive()) {
            return;
        }
        try {
            if (follower != null && mirror != null) {
                if (copy == null && mirror.end() >= 0) {
                    copy = Replication.store(config, clock, false);
                }
                long t0 = System.nanoTime();
                long appended = 0;
                long[] read = {BATCH};
                while (read[0] >= BATCH && appended >= 0) { // to the topic's end as of now
                    appended = mirror.append(v -> read[0] = follower.read(BATCH, v));
                    if (appended > 0 && copy != null) {
                        JournalMirror.apply(copy);
                    }
                }
                if (appended >= 0 && copy != null) {
                    JournalMirror.beforeServing(copy);
                    LOG.info("warm standby: copy brought to the topic's end in {} ms; serving from it",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
            }
        } catch (Exception e) {
            LOG.warn("warm standby: the copy could not be brought to the topic's end ({}); the takeover reads the topic", e.toString());
        } finally {
            release();
        }
    }

    private void stopThread() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        try {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("warm standby: still copying after 2 minutes; going on without it");
        }
    }

    private void closeCopy() {
        closeQuietly(copy, "the copy");
        copy = null;
    }

    private void release() {
        closeCopy();
        closeQuietly(follower, "the Kafka consumer");
        follower = null;
    }

    private static void closeQuietly(AutoCloseable part, String what) {
        if (part != null) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("warm standby: closing {}: {}", what, e.toString());
            }
        }
    }

    /** Stops following (the node stops, or serves without the copy). */
    @Override
    public void close() {
        stopThread();
        if (!thread.isAlive()) {
            release();
        }
    }
}
