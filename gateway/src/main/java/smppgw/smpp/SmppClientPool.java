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
    private final Map<String, OperatorBinds> operators = new LinkedHashMap<>();

    public SmppClientPool(int ioThreads, List<OperatorConfig> configs, InboundListener inbound) {
        group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("smppgw-smpp-io", true));
        scheduler = timers("smppgw-smpp-timer", 2);
        client = new DefaultSmppClient(group, scheduler);
        for (OperatorConfig op : configs) {
            List<BindSession> sessions = new ArrayList<>();
            OperatorBinds[] holder = new OperatorBinds[1];
            Runnable capacity = () -> holder[0].capacity();
            int i = 0;
            for (BindConfig b : op.binds()) {
                for (int c = 0; c < b.count(); c++, i++) {
                    if (b.type() == BindConfig.BindType.TRANSCEIVER) {
                        sessions.add(new BindSession(op.name(), op.name() + "-" + i, b, SmppBindType.TRANSCEIVER, client,
                                scheduler, inbound, capacity));
                    } else {
                        sessions.add(new BindSession(op.name(), op.name() + "-" + i + "-tx", b, SmppBindType.TRANSMITTER,
                                client, scheduler, inbound, capacity));
                        sessions.add(new BindSession(op.name(), op.name() + "-" + i + "-rx", b, SmppBindType.RECEIVER,
                                client, scheduler, inbound, capacity));
                    }
                }
            }
            holder[0] = new OperatorBinds(op.name(), sessions);
            operators.put(op.name(), holder[0]);
        }
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
