package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.function.Supplier;

import smppgw.config.GatewayConfig;
import smppgw.store.kafka.ActiveMember;

/**
 * A node of a failover group ({@code cluster.failover-group}): it stands by (no listener, no bind) until Kafka makes it
 * the group's active node, then runs the gateway on the group's journal — restored from Kafka if its own is not the
 * group's, fencing whoever wrote before — until it stops or another node is made active. So several machines run
 * {@code bin/smppgw run} with the same group and one of them serves; when it dies, another serves within
 * {@code cluster.session-timeout} plus the restore, and sends everything that was accepted and not yet sent.
 */
public final class FailoverNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverNode.class);

    private final Supplier<GatewayConfig> config;
    private final Clock clock;
    private final ActiveMember member;
    private volatile Gateway gateway;
    private final java.util.concurrent.atomic.AtomicInteger failedStarts = new java.util.concurrent.atomic.AtomicInteger();

    private FailoverNode(Supplier<GatewayConfig> config, Clock clock, GatewayConfig first) {
        this.config = config;
        this.clock = clock;
        this.member = ActiveMember.join(first.store().kafka(), new ActiveMember.Listener() {
            @Override
            public boolean activate() {
                return start();
            }

            @Override
            public void deactivate() {
                stop();
            }
        });
    }

    /**
     * Joins the group named by {@code config}'s {@code cluster.failover-group}.
     *
     * @param config read again each time this node becomes active (so a standby takes over with the file as it is then)
     */
    public static FailoverNode start(Supplier<GatewayConfig> config, Clock clock) {
        GatewayConfig first = config.get();
        if (!wanted(first)) {
            throw new IllegalArgumentException("not a node of a failover group (cluster.failover-group, store.type: kafka)");
        }
        return new FailoverNode(config, clock, first);
    }

    /** Whether the configuration makes this process a node of a failover group. */
    public static boolean wanted(GatewayConfig config) {
        return config.store().kafka() != null && config.store().kafka().failoverGroup() != null;
    }

    /** The gateway while this node is the active one, else null. */
    public Gateway gateway() {
        return gateway;
    }

    /** How many times this node was made the active one and could not start (it then leaves the role to another). */
    public int failedStarts() {
        return failedStarts.get();
    }

    private boolean start() {
        try {
            gateway = Gateway.start(config.get(), clock);
            return true;
        } catch (RuntimeException e) {
            failedStarts.incrementAndGet();
            LOG.error("could not start as the active node: {}", e.getMessage(), e);
            return false;
        }
    }

    private void stop() {
        Gateway g = gateway;
        gateway = null;
        if (g != null) {
            g.close();
        }
    }

    /** SIGHUP: the active node reloads; a standby reads the file when it becomes active. */
    public void reload() {
        Gateway g = gateway;
        if (g != null) {
            g.reload();
        } else {
            LOG.info("standing by: the configuration is read when this node becomes the active one");
        }
    }

    /** Stops the gateway if this node is active, then leaves the group (another node becomes active at once). */
    @Override
    public void close() {
        member.close();
        stop();
    }
}
