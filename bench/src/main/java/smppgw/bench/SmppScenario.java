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
import org.HdrHistogram.ConcurrentHistogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import smppgw.smpp.AsyncRequests;

/**
 * Integrators over SMPP: cloudhopper clients bind to the gateway's SMPP server, keep their windows full of
 * submit_sm asking for receipts, and count submit_sm_resp (stored) and the receipts they get back.
 */
@Command(name = "smpp", mixinStandardHelpOptions = true, description = "SMPP server intake: submit_sm in, receipts back.")
final class SmppScenario implements Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;
    @Option(names = "--warmup", defaultValue = "5s", description = "unmeasured time first (default ${DEFAULT-VALUE})")
    String warmup;
    @Option(names = "--sessions", defaultValue = "2", description = "integrator binds (transceiver) (default ${DEFAULT-VALUE})")
    int sessions;
    @Option(names = "--window", defaultValue = "100", description = "submit_sm in flight per bind (default ${DEFAULT-VALUE})")
    int window;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("duration", duration);
        settings.put("warmup", warmup);
        settings.put("integrator_binds", sessions);
        settings.put("integrator_window", window);
        settings.put("operator", "simulator, 2 binds x window 1000, receipts after 0 ms");
        Report report = new Report("smpp", settings);
        int smsc = Embedded.freePort();
        int smppPort = Embedded.freePort();
        String extra = "smpp-server: {listen: 127.0.0.1:" + smppPort + ", window: " + window + "}\n"
                + "clients:\n  - {name: bench, system-id: bench, password: bench, max-binds: " + (sessions + 1) + "}\n"
                + Embedded.simulator(smsc, "  receipt-delay: 0ms\n  window: 1000\n");
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("bench-smpp", true));
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("bench-smpp-timer", true));
        DefaultSmppClient client = new DefaultSmppClient(group, timers);
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong receipts = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        List<SmppSession> bound = new ArrayList<>();
        try (Embedded e = new Embedded(Embedded.operator("sim", null, smsc, 2, 1000, 0, ""), extra, common.smppIo, common.stateLog)) {
            e.awaitHealthy();
            for (int i = 0; i < sessions; i++) {
                SmppSessionConfiguration c = new SmppSessionConfiguration(SmppBindType.TRANSCEIVER, "bench", "bench");
                c.setHost("127.0.0.1");
                c.setPort(smppPort);
                c.setWindowSize(window);
                c.setRequestExpiryTimeout(30_000);
                c.setWindowMonitorInterval(5_000);
                c.setWriteTimeout(5_000);
                c.setCountersEnabled(false);
                bound.add(client.bind(c, new DefaultSmppSessionHandler() {
                    @Override
                    public void fireExpectedPduResponseReceived(PduAsyncResponse r) {
                        if (r.getResponse().getCommandStatus() == 0) {
                            ok.incrementAndGet();
                            if (measuring.get()) {
                                latency.recordValue(Math.max(1, (System.nanoTime() - (Long) r.getRequest().getReferenceObject()) / 1000));
                            }
                        } else {
                            refused.incrementAndGet();
                        }
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
            long end = System.nanoTime() + CommonOptions.duration(warmup).plus(CommonOptions.duration(duration)).toNanos();
            List<Thread> senders = new ArrayList<>();
            for (SmppSession s : bound) {
                Thread t = new Thread(() -> {
                    for (long n = 0; System.nanoTime() < end; ) {
                        SubmitSm sm = new SubmitSm();
                        try {
                            sm.setSourceAddress(new Address((byte) 5, (byte) 0, "BENCH"));
                            sm.setDestAddress(new Address((byte) 1, (byte) 1, "336" + String.format("%08d", n % 100_000_000)));
                            sm.setRegisteredDelivery(SmppConstants.REGISTERED_DELIVERY_SMSC_RECEIPT_REQUESTED);
                            sm.setShortMessage(("Bonjour, votre code est " + n).getBytes(StandardCharsets.ISO_8859_1));
                        } catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                        sm.setReferenceObject(System.nanoTime());
                        if (AsyncRequests.send(s, sm, 30_000, () -> { }) == AsyncRequests.Sent.QUEUED) {
                            n++;
                        } else {
                            LockSupport.parkNanos(50_000);
                        }
                    }
                }, "bench-smpp-sender");
                t.start();
                senders.add(t);
            }
            LockSupport.parkNanos(CommonOptions.duration(warmup).toNanos());
            long ok0 = ok.get();
            long receipts0 = receipts.get();
            measuring.set(true);
            long t0 = System.nanoTime();
            for (Thread t : senders) {
                t.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            measuring.set(false);
            report.put("submit_sm_resp_ok_per_s", Math.round((ok.get() - ok0) / secs))
                    .put("receipts_to_integrators_per_s", Math.round((receipts.get() - receipts0) / secs))
                    .put("refused", refused.get())
                    .put("submit_to_resp_ms", Report.percentilesMs(latency));
        } finally {
            for (SmppSession s : bound) {
                s.unbind(1000);
                s.destroy();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            timers.shutdownNow();
            client.destroy();
        }
        report.write(common.out);
        return 0;
    }
}
