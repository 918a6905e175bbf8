package smppgw.smpp;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.config.BindConfig;
import smppgw.config.OperatorConfig;

/**
 * Every SMPP bind the gateway holds to carrier SMSCs: one Netty event loop (size configurable: one I/O
 * thread is fastest on a 2-core machine), one timer pool for binds, keepalives and window expiry.
 */
public final class SmppClientPool implements AutoCloseable {
    private final NioEventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final DefaultSmppClient client;
    private final smppgw.tls.TlsContexts tls;
    private final Map<String, OperatorBinds> operators = new LinkedHashMap<>();
    private final InboundListener inbound;

    /** @param tls where binds with a {@code tls} section get their context (built here: a bad file fails the start) */
    public SmppClientPool(int ioThreads, List<OperatorConfig> configs, InboundListener inbound, smppgw.tls.TlsContexts tls) {
        group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("smppgw-smpp-io", true));
        scheduler = timers("smppgw-smpp-timer", 2);
        client = new TlsSmppClient(group, scheduler);
        this.tls = tls;
        this.inbound = inbound;
        for (OperatorConfig op : configs) {
            OperatorBinds binds = new OperatorBinds(op.name());
            List<BindSession> sessions = new ArrayList<>();
            for (BindConfig b : op.binds()) {
                for (int c = 0; c < b.count(); c++) {
                    sessions.addAll(create(binds, b, types(b), binds.nextIndex()));
                }
            }
            binds.replace(sessions);
            operators.put(op.name(), binds);
        }
    }

    private static List<SmppBindType> types(BindConfig b) {
        return b.type() == BindConfig.BindType.TRANSCEIVER ? List.of(SmppBindType.TRANSCEIVER)
                : List.of(SmppBindType.TRANSMITTER, SmppBindType.RECEIVER);
    }

    /** Binds named {@code orange-3} (transceiver) or {@code orange-3-tx}, {@code orange-3-rx}. */
    private List<BindSession> create(OperatorBinds binds, BindConfig b, List<SmppBindType> types, int index) {
        List<BindSession> out = new ArrayList<>();
        for (SmppBindType t : types) {
            String suffix = t == SmppBindType.TRANSCEIVER ? "" : t == SmppBindType.TRANSMITTER ? "-tx" : "-rx";
            out.add(new BindSession(binds.operator(), binds.operator() + "-" + index + suffix, b, t, client, scheduler,
                    inbound, binds::capacity, b.tls() == null ? null : tls.client(binds.operator(), b.tls())));
        }
        return out;
    }

    /**
     * Applies a reloaded operator's binds without touching the ones that stay: a bind whose account (host, port,
     * system-id, password, type, window, timers) is still configured keeps its connection and takes the new tps;
     * missing ones are created and bind; ones no longer configured stop taking submits, wait up to their
     * response timeout for their window to empty, then unbind (in the background).
     *
     * @return what changed, for the log: binds kept, added, retired
     */
    public String reconfigure(OperatorConfig op) {
        OperatorBinds binds = operators.get(op.name());
        List<BindSession> spare = new ArrayList<>(binds.sessions());
        List<BindSession> next = new ArrayList<>();
        List<BindSession> added = new ArrayList<>();
        for (BindConfig b : op.binds()) {
            for (SmppBindType t : types(b)) {
                int have = 0;
                for (java.util.Iterator<BindSession> it = spare.iterator(); it.hasNext() && have < b.count(); ) {
                    BindSession s = it.next();
                    if (s.type() == t && s.config().account().equals(b.account())) {
                        s.update(b);
                        next.add(s);
                        it.remove();
                        have++;
                    }
                }
                for (; have < b.count(); have++) {
                    added.addAll(create(binds, b, List.of(t), binds.nextIndex()));
                }
            }
        }
        next.addAll(added);
        binds.replace(next);
        added.forEach(BindSession::start);
        for (BindSession s : spare) {
            Thread t = new Thread(() -> {
                try {
                    s.retire(s.config().responseTimeout().toMillis() + 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "smppgw-retire-" + s.name());
            t.setDaemon(true);
            t.start();
        }
        return (next.size() - added.size()) + " kept, " + added.size() + " added, " + spare.size() + " retired";
    }

    /** Starts binding; binds come up in the background and keep retrying. */
    public void start() {
        operators.values().forEach(o -> o.sessions().forEach(BindSession::start));
    }

    public OperatorBinds binds(String operator) {
        return operators.get(operator);
    }

    public Map<String, OperatorBinds> all() {
        return operators;
    }

    /** Unbinds every session (each waits up to {@code unbindTimeoutMs}), then stops the threads. */
    public void stop(long unbindTimeoutMs) {
        operators.values().forEach(o -> o.sessions().forEach(s -> s.stop(unbindTimeoutMs)));
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // destroy() shuts the event loop down with Netty's 2 s quiet period; ours has nothing left to do
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        client.destroy();
    }

    @Override
    public void close() {
        stop(1000);
    }

    /** Timers that are dropped, not awaited, at shutdown (reconnect back-offs can be long). */
    public static ScheduledThreadPoolExecutor timers(String prefix, int threads) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(threads, daemon(prefix));
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        t.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
