package smppgw.bench;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.Address;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import smppgw.config.GatewayConfig;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.AsyncRequests;

/**
 * The ceiling the gateway is compared with: a bare cloudhopper client keeping every window full against
 * the same simulator (receipts on, delay 0), no store, no HTTP, in the same JVM on the same cores; or, given
 * an SMSC's address, against that SMSC in a process of its own (the {@code bare} scenario).
 */
final class RawCeiling {
    private RawCeiling() {
    }

    static Map<String, Object> measure(int sessions, int window, int ioThreads, Duration warmup, Duration duration) throws Exception {
        int port = Embedded.freePort();
        GatewayConfig sc = GatewayConfig.parse("raw", "operators: [{name: x, default: true, binds: [{host: h, system-id: x}]}]\n"
                + Embedded.simulator(port, "  receipt-delay: 0ms\n  window: " + window + "\n"), null);
        try (SmscSimulator sim = new SmscSimulator(sc.simulator()).start()) {
            return measure(new Target("127.0.0.1", port, "bench", "bench"), sessions, window, ioThreads, warmup, duration, new Cpu.Snapshot[2]);
        }
    }

    /** An SMSC to bind to. */
    record Target(String host, int port, String systemId, String password) {
    }

    /** {@code cpu} receives this process's CPU at the start and the end of the measured window. */
    static Map<String, Object> measure(Target smsc, int sessions, int window, int ioThreads, Duration warmup, Duration duration,
            Cpu.Snapshot[] cpu) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("raw-io", true));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("raw-timer", true));
        DefaultSmppClient client = new DefaultSmppClient(group, timers);
        AtomicLong responses = new AtomicLong();
        AtomicLong receipts = new AtomicLong();
        List<SmppSession> bound = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                SmppSessionConfiguration c = new SmppSessionConfiguration(SmppBindType.TRANSCEIVER, smsc.systemId(), smsc.password());
                c.setHost(smsc.host());
                c.setPort(smsc.port());
                c.setWindowSize(window);
                c.setRequestExpiryTimeout(30_000);
                c.setWindowMonitorInterval(5_000);
                c.setWriteTimeout(5_000);
                c.setCountersEnabled(false);
                bound.add(client.bind(c, new DefaultSmppSessionHandler() {
                    @Override
                    public void fireExpectedPduResponseReceived(PduAsyncResponse r) {
                        responses.incrementAndGet();
                    }

                    @Override
                    @SuppressWarnings("rawtypes")
                    public PduResponse firePduRequestReceived(PduRequest req) {
                        if (req instanceof DeliverSm) {
                            receipts.incrementAndGet();
                        }
                        return req.createResponse();
                    }
                }));
            }
            long warmEnd = System.nanoTime() + warmup.toNanos();
            long[] at = new long[4];
            List<Thread> senders = new ArrayList<>();
            long end = warmEnd + duration.toNanos();
            for (SmppSession s : bound) {
                Thread t = new Thread(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        SubmitSm sm = new SubmitSm();
                        try {
                            sm.setSourceAddress(new Address((byte) 5, (byte) 0, "BENCH"));
                            sm.setDestAddress(new Address((byte) 1, (byte) 1, "336" + String.format("%08d", n++ % 100_000_000)));
                            sm.setRegisteredDelivery(SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED);
                            sm.setShortMessage(("Bonjour, votre code est " + n).getBytes(StandardCharsets.ISO_8859_1));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        if (AsyncRequests.send(s, sm, 30_000, () -> { }) != AsyncRequests.Sent.QUEUED) {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                }, "raw-sender");
                t.start();
                senders.add(t);
            }
            LockSupport.parkNanos(Math.max(0, warmEnd - System.nanoTime()));
            at[0] = responses.get();
            at[1] = receipts.get();
            cpu[0] = Cpu.now();
            long t0 = System.nanoTime();
            for (Thread t : senders) {
                t.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            cpu[1] = Cpu.now();
            at[2] = responses.get();
            at[3] = receipts.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", sessions);
            m.put("window", window);
            m.put("submit_resp_per_s", Math.round((at[2] - at[0]) / secs));
            m.put("receipts_per_s", Math.round((at[3] - at[1]) / secs));
            return m;
        } finally {
            for (SmppSession s : bound) {
                s.unbind(1000);
                s.destroy();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            timers.shutdownNow();
            client.destroy();
        }
    }
}
