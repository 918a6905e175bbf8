package smppgw.testing;

import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.GSMSpecificFeature;
import org.jsmpp.bean.MessageMode;
import org.jsmpp.bean.MessageType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * An SMSC built with jSMPP, a peer nobody here wrote: answers submits with hex ids and sends jSMPP's own
 * receipts (id in decimal), each with the stat and delay a policy gives it.
 */
public final class JsmppSmsc implements AutoCloseable {
    /**
     * The receipt to send for a submit: its stat and how long after the submit; {@code dropped}: never sent (query_sm still
     * knows). A policy answering null refuses the submit (ESME_RINVDSTADR).
     */
    public record Reply(DeliveryReceiptState stat, long delayMs, boolean dropped) {
        public Reply(DeliveryReceiptState stat, long delayMs) {
            this(stat, delayMs, false);
        }
    }

    /** Final states by the id the response gave, as query_sm answers them (set when the receipt is due, sent or not). */
    private final java.util.Map<String, DeliveryReceiptState> finals = new java.util.concurrent.ConcurrentHashMap<>();
    /** query_sm received, and when each submit_sm or query_sm came (System.nanoTime), for rates. */
    public final AtomicLong queries = new AtomicLong();
    public final ConcurrentLinkedQueue<Long> requestTimes = new ConcurrentLinkedQueue<>();

    public final ConcurrentLinkedQueue<SubmitSm> submits = new ConcurrentLinkedQueue<>();
    public final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final SMPPServerSessionListener listener;
    private final ExecutorService accept = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService receipts = Executors.newScheduledThreadPool(8);
    private final AtomicLong nextId = new AtomicLong(0x39f99dd5L);
    private final BiFunction<SubmitSm, Long, Reply> policy;
    private volatile boolean running = true;
    /** How long each submit_sm waits before its submit_sm_resp (a slow SMSC): 0 answers at once. */
    public volatile long answerDelayMs;
    /** How this SMSC writes a message id: in submit_sm_resp, and in its receipts (the id is a counter). */
    public volatile java.util.function.LongFunction<String> responseId = id -> Long.toHexString(id).toUpperCase();
    public volatile java.util.function.LongFunction<String> receiptId = id -> String.format("%010d", id);
    /** Send each receipt on a bind picked at random (as SMSCs with several binds of one account do), not the submit's. */
    public volatile boolean receiptsOnAnyBind;
    /** Each accepted submit's destination and text, one line each, when set (for an SMSC run as a process of its own). */
    private volatile java.io.PrintStream log;

    public JsmppSmsc(int port, BiFunction<SubmitSm, Long, Reply> policy) throws Exception {
        this(port, policy, 0x39f99dd5L);
    }

    /** @param firstId the first message id it gives (then one more each time: sequential ids, as many SMSCs have) */
    public JsmppSmsc(int port, BiFunction<SubmitSm, Long, Reply> policy, long firstId) throws Exception {
        this(port, policy, firstId, null, false);
    }

    /** An SMSC on 127.0.0.1 speaking SMPP over TLS with {@code tls}'s certificate (the JDK's TLS, as carriers' Java SMSCs do). */
    public JsmppSmsc(int port, BiFunction<SubmitSm, Long, Reply> policy, javax.net.ssl.SSLContext tls) throws Exception {
        this(port, policy, 0x39f99dd5L, tls, false);
    }

    /** The same, requiring a client certificate its context trusts (mutual TLS) when {@code clientCertificate}. */
    public JsmppSmsc(int port, BiFunction<SubmitSm, Long, Reply> policy, javax.net.ssl.SSLContext tls, boolean clientCertificate)
            throws Exception {
        this(port, policy, 0x39f99dd5L, tls, clientCertificate);
    }

    private JsmppSmsc(int port, BiFunction<SubmitSm, Long, Reply> policy, long firstId, javax.net.ssl.SSLContext tls,
                      boolean clientCertificate) throws Exception {
        nextId.set(firstId - 1);
        this.policy = policy;
        listener = tls == null ? new SMPPServerSessionListener(port)
                : new SMPPServerSessionListener(port, tlsListener(tls, clientCertificate));
        listener.setPduProcessorDegree(200); // slow answers do not hold up the others
        listener.setQueueCapacity(10_000);
        listener.setMessageReceiverListener(new Smsc());
        accept.execute(this::acceptLoop);
    }

    private static org.jsmpp.session.connection.ServerConnectionFactory tlsListener(javax.net.ssl.SSLContext tls, boolean clientCertificate) {
        return new org.jsmpp.session.connection.ServerConnectionFactory() {
            @Override
            public org.jsmpp.session.connection.ServerConnection listen(int port) throws java.io.IOException {
                return listen(port, 0, 50);
            }

            @Override
            public org.jsmpp.session.connection.ServerConnection listen(int port, int timeout) throws java.io.IOException {
                return listen(port, timeout, 50);
            }

            @Override
            public org.jsmpp.session.connection.ServerConnection listen(int port, int timeout, int backlog) throws java.io.IOException {
                java.net.ServerSocket ss = tls.getServerSocketFactory().createServerSocket(port, backlog,
                        java.net.InetAddress.getLoopbackAddress());
                ss.setSoTimeout(timeout);
                ((javax.net.ssl.SSLServerSocket) ss).setNeedClientAuth(clientCertificate);
                return new org.jsmpp.session.connection.socket.ServerSocketConnection(ss);
            }
        };
    }

    /**
     * An SMSC in a process of its own (so a test can freeze it with SIGSTOP): {@code port receiptDelayMs logFile}.
     * Every submit is DELIVRD; each accepted submit is written to the log file as "destination text".
     */
    public static void main(String[] args) throws Exception {
        JsmppSmsc smsc = new JsmppSmsc(Integer.parseInt(args[0]), (sm, id) -> new Reply(DeliveryReceiptState.DELIVRD, Long.parseLong(args[1])));
        smsc.log = new java.io.PrintStream(new java.io.FileOutputStream(args[2], true), true, StandardCharsets.UTF_8);
        System.out.println("listening on " + args[0]);
        Thread.currentThread().join();
    }

    /**
     * A handset's message to the gateway, as a carrier delivers it: a deliver_sm on the first bound session, the handset's
     * number as the SMSC writes it ({@code from}) to the number or short code it was sent to.
     */
    public void handsetSays(String from, String to, String text) throws Exception {
        deliver(from, to, new ESMClass(0), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The same, split into a concatenated message (a UDH with reference {@code ref}), parts sent in order. */
    public void handsetSaysInParts(String from, String to, int ref, String... parts) throws Exception {
        for (int i = 0; i < parts.length; i++) {
            byte[] text = parts[i].getBytes(StandardCharsets.ISO_8859_1);
            byte[] sm = new byte[6 + text.length];
            sm[0] = 5;
            sm[1] = 0;
            sm[2] = 3;
            sm[3] = (byte) ref;
            sm[4] = (byte) parts.length;
            sm[5] = (byte) (i + 1);
            System.arraycopy(text, 0, sm, 6, text.length);
            deliver(from, to, new ESMClass(MessageMode.DEFAULT, MessageType.DEFAULT, GSMSpecificFeature.UDHI), sm);
        }
    }

    private void deliver(String from, String to, ESMClass esm, byte[] sm) throws Exception {
        SMPPServerSession s = sessions.stream().filter(x -> x.getSessionState().isBound()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no bound session"));
        s.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, from, TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN, to, esm, (byte) 0, (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO, sm);
    }

    private void acceptLoop() {
        while (running) {
            try {
                SMPPServerSession s = listener.accept();
                BindRequest bind = s.waitForBind(5000);
                if (bind.getSystemId().equals("gw") && bind.getPassword().equals("pw")) {
                    bind.accept("jsmpp-smsc");
                    sessions.add(s);
                } else {
                    bind.reject(0x0E);
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    private final class Smsc implements ServerMessageReceiverListener {
        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession session) throws ProcessRequestException {
            requestTimes.add(System.nanoTime());
            long id = nextId.incrementAndGet();
            Reply r = policy.apply(sm, id);
            if (r == null) { // the policy refuses it: a permanent error, the gateway's FAILED
                throw new ProcessRequestException("invalid destination", 0x0B);
            }
            String answered = responseId.apply(id).toLowerCase(java.util.Locale.ROOT);
            receipts.schedule(() -> {
                finals.put(answered, r.stat());
                if (!r.dropped()) {
                    sendReceipt(session, sm, id, r.stat());
                }
            }, r.delayMs(), TimeUnit.MILLISECONDS); // may beat the answer
            long delay = answerDelayMs;
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            submits.add(sm);
            java.io.PrintStream out = log;
            if (out != null) {
                out.println(sm.getDestAddress() + " " + new String(sm.getShortMessage(), StandardCharsets.ISO_8859_1));
            }
            try {
                return new SubmitSmResult(new MessageId(responseId.apply(id)), new OptionalParameter[0]);
            } catch (Exception e) {
                throw new ProcessRequestException(e.getMessage(), 0x08);
            }
        }

        /**
         * Like a real SMSC, a receipt owed is delivered on the bind the submit came on if it is still up, else on another
         * bind of the account, else again a second later (up to a minute).
         */
        private void sendReceipt(SMPPServerSession session, SubmitSm sm, long id, DeliveryReceiptState stat) {
            sendReceipt(session, sm, id, stat, 0);
        }

        private void sendReceipt(SMPPServerSession session, SubmitSm sm, long id, DeliveryReceiptState stat, int tries) {
            DeliveryReceipt r = new DeliveryReceipt(receiptId.apply(id), 1, stat == DeliveryReceiptState.DELIVRD ? 1 : 0,
                    new Date(), new Date(), stat, stat == DeliveryReceiptState.DELIVRD ? "000" : "001", "hello");
            List<SMPPServerSession> candidates = new java.util.ArrayList<>();
            candidates.add(session);
            sessions.stream().filter(x -> x != session).forEach(candidates::add);
            if (receiptsOnAnyBind) {
                java.util.Collections.shuffle(candidates);
            }
            for (SMPPServerSession s : candidates) {
                if (!running || !s.getSessionState().isBound()) {
                    continue;
                }
                try {
                    s.deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, sm.getDestAddress(),
                            TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, sm.getSourceAddr(),
                            new ESMClass(MessageMode.DEFAULT, MessageType.SMSC_DEL_RECEIPT, GSMSpecificFeature.DEFAULT), (byte) 0,
                            (byte) 0, new RegisteredDelivery(0), DataCodings.ZERO, r.toString().getBytes(StandardCharsets.ISO_8859_1));
                    return;
                } catch (Exception e) {
                    // that bind is gone or refused it: the next one
                }
            }
            if (running && tries < 60) {
                receipts.schedule(() -> sendReceipt(session, sm, id, stat, tries + 1), 1, TimeUnit.SECONDS);
            }
        }

        private ProcessRequestException unsupported() {
            return new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti m, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm q, SMPPServerSession s) throws ProcessRequestException {
            requestTimes.add(System.nanoTime());
            queries.incrementAndGet();
            DeliveryReceiptState st = finals.get(q.getMessageId().toLowerCase(java.util.Locale.ROOT));
            org.jsmpp.bean.MessageState state = st == null ? org.jsmpp.bean.MessageState.ENROUTE
                    : st == DeliveryReceiptState.DELIVRD ? org.jsmpp.bean.MessageState.DELIVERED : org.jsmpp.bean.MessageState.UNDELIVERABLE;
            return new QuerySmResult(st == null ? null : "261201120000000+", state, (byte) 0);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm r, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelSm(CancelSm c, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(org.jsmpp.bean.BroadcastSm b, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm c, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm q, SMPPServerSession s) throws ProcessRequestException {
            throw unsupported();
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm d, Session s) throws ProcessRequestException {
            throw unsupported();
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        for (SMPPServerSession s : sessions) {
            s.unbindAndClose();
        }
        listener.close();
        accept.shutdownNow();
        receipts.shutdownNow();
    }
}
