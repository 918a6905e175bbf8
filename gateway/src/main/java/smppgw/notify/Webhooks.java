package smppgw.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import smppgw.config.ClientConfig;
import smppgw.store.MessageStore;
import smppgw.model.Notification;

/**
 * Status callbacks to a client's {@code webhook-url}: a JSON POST for every state change of its messages
 * (ACCEPTED if asked for) and every handset message routed to it, signed with HMAC-SHA256 over the attempt's
 * timestamp, a dot and the body ({@code X-Smppgw-Timestamp: <unix seconds>}, {@code X-Smppgw-Signature: v1=<hex>}). Up to {@code webhook-concurrency} at once, never two for the same
 * message, so each message's states arrive in order; a failure (no answer, not 2xx) is retried with exponential
 * back-off and jitter for {@code webhook-retry-for}, then logged and dropped. The notification queue's cursor only
 * moves past callbacks answered 2xx (or given up on), so pending callbacks survive a restart.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClientConfig client;
    private final MessageStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    public Webhooks(ClientConfig client, MessageStore store) {
        this.client = client;
        this.store = store;
        this.thread = new Thread(this::run, "smppgw-webhooks-" + client.name());
    }

    public Webhooks start() {
        thread.start();
        return this;
    }

    /** Callbacks answered 2xx since start. */
    public long delivered() {
        return delivered.get();
    }

    /** Attempts that failed since start. */
    public long failures() {
        return failures.get();
    }

    private void run() {
        int max = client.webhookConcurrency();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(max, r -> {
            Thread t = new Thread(r, "smppgw-webhooks-" + client.name() + "-sender");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(max);
        smppgw.store.Unacknowledged unresolved = new smppgw.store.Unacknowledged();
        // message id → its callbacks read while one of its own is in flight (a key is present while one is in flight)
        java.util.Map<String, java.util.ArrayDeque<MessageStore.Indexed>> behind = new java.util.HashMap<>();
        MessageStore.Indexed next = null; // read, waiting for a free slot
        try (MessageStore.NotificationReader reader = store.openNotifications(client.name(), "webhook")) {
            long lastCommit = 0;
            while (running) {
                long now = System.nanoTime() / 1_000_000;
                if (now - lastCommit >= 100) {
                    commit(reader, unresolved, next);
                    lastCommit = now;
                }
                if (next == null) {
                    // no further than webhook-max-ahead past the oldest unanswered callback: what a crash can send twice
                    if (unresolved.tooFarAhead(client.webhookMaxAhead())) {
                        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
                        continue;
                    }
                    next = reader.next();
                    if (next == null) {
                        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
                        continue;
                    }
                    unresolved.read();
                    Notification n = next.notification();
                    if (n.kind().equals(Notification.STATE) && n.state().equals("ACCEPTED") && !client.webhookAccepted()) {
                        next = null;
                        continue;
                    }
                    synchronized (behind) { // one callback per message at a time: a message's states arrive in order
                        java.util.ArrayDeque<MessageStore.Indexed> q = behind.get(n.id());
                        if (q != null) {
                            unresolved.add(next.index());
                            q.add(next);
                            next = null;
                            continue;
                        }
                    }
                }
                if (!slots.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                MessageStore.Indexed first = next;
                next = null;
                unresolved.add(first.index());
                synchronized (behind) {
                    behind.put(first.notification().id(), new java.util.ArrayDeque<>());
                }
                senders.execute(() -> sendInOrder(first, behind, unresolved, slots));
            }
            senders.shutdown();
            senders.awaitTermination(5, TimeUnit.SECONDS);
            commit(reader, unresolved, next);
        } catch (Throwable t) {
            LOG.error("[client:{}] webhook delivery stopped; pending callbacks wait for the next start", client.name(), t);
        } finally {
            senders.shutdownNow();
        }
    }

    /** Delivers a message's callback, then those of the same message read meanwhile, in order; then frees the slot. */
    private void sendInOrder(MessageStore.Indexed first, java.util.Map<String, java.util.ArrayDeque<MessageStore.Indexed>> behind,
                             smppgw.store.Unacknowledged unresolved, java.util.concurrent.Semaphore slots) {
        try {
            String id = first.notification().id();
            for (MessageStore.Indexed i = first; i != null; ) {
                if (!deliver(body(i.notification()), i.notification())) {
                    return; // stopping: it and those behind it stay unresolved, for the next start
                }
                unresolved.done(i.index()); // delivered, or given up on after webhook-retry-for
                synchronized (behind) {
                    i = behind.get(id).poll();
                    if (i == null) {
                        behind.remove(id);
                    }
                }
            }
        } finally {
            slots.release();
        }
    }

    /** Moves the cursor up to the oldest callback not yet answered (or read and not yet sent): a restart resumes there. */
    private static void commit(MessageStore.NotificationReader reader, smppgw.store.Unacknowledged unresolved, MessageStore.Indexed next) {
        long at = unresolved.commitPoint(reader.position());
        reader.commit(next == null ? at : Math.min(at, next.index()));
    }

    /** Posts until a 2xx, or until the retry time is over (then logged and dropped); false if stopping. */
    private boolean deliver(byte[] body, Notification n) {
        long giveUpAt = System.nanoTime() / 1_000_000 + client.webhookRetryFor().toMillis();
        long backoff = client.webhookBackoff().toMillis();
        for (int attempt = 1; running; attempt++) {
            String problem;
            try {
                String timestamp = String.valueOf(System.currentTimeMillis() / 1000); // each attempt signed afresh
                HttpRequest req = HttpRequest.newBuilder(URI.create(client.webhookUrl())).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Smppgw-Timestamp", timestamp)
                        .header("X-Smppgw-Signature", "v1=" + sign(timestamp, body))
                        .header("X-Smppgw-Attempt", String.valueOf(attempt))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                java.util.concurrent.CompletableFuture<HttpResponse<Void>> f = http.sendAsync(req, HttpResponse.BodyHandlers.discarding());
                while (!f.isDone()) {
                    if (!running) {
                        f.cancel(true);
                        return false;
                    }
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
                }
                int status = f.get().statusCode();
                if (status >= 200 && status < 300) {
                    delivered.incrementAndGet();
                    return true;
                }
                problem = "HTTP " + status;
            } catch (Exception e) {
                problem = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause().toString() : e.toString();
            }
            failures.incrementAndGet();
            if (System.nanoTime() / 1_000_000 > giveUpAt) {
                LOG.error("[client:{}] [msg:{}] webhook for {} dropped after {} attempts over {}: {}", client.name(), n.id(),
                        n.state() == null ? "MO" : n.state(), attempt, client.webhookRetryFor(), problem);
                return true;
            }
            long wait = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.warn("[client:{}] [msg:{}] webhook attempt {} failed ({}); next in {} ms", client.name(), n.id(), attempt, problem, wait);
            }
            long until = System.nanoTime() / 1_000_000 + wait;
            while (running && System.nanoTime() / 1_000_000 < until) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(Math.min(100, wait)));
            }
            backoff = Math.min(60_000, backoff * 2);
        }
        return false;
    }

    static byte[] body(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        if (n.kind().equals(Notification.MO)) {
            o.put("type", "mo");
            o.put("id", n.id());
            o.put("from", n.from());
            o.put("to", n.to());
            o.put("text", n.text());
        } else {
            o.put("type", "status");
            o.put("id", n.id());
            if (n.clientRef() != null) {
                o.put("client_ref", n.clientRef());
            }
            if (n.campaign() != null) {
                o.put("campaign", n.campaign());
            }
            o.put("state", n.state());
            o.put("operator", n.operator());
            o.put("to", n.to());
            o.put("from", n.from());
            if (n.acceptedAt() != null) {
                o.put("accepted_at", Instant.ofEpochMilli(n.acceptedAt()).toString());
            }
            if (n.smscId() != null) {
                o.put("smsc_id", n.smscId());
            }
            if (n.state().equals("READ")) { // what a person did: plain fields, never an error
                String via = n.via() != null ? n.via() : "reply";
                o.put("via", via);
                if (n.reason() != null) {
                    o.put(via.equals("click") ? "url" : via.equals("code") ? "code" : "reply", n.reason());
                }
            } else {
                if (n.stat() != null) {
                    o.put("stat", n.stat());
                }
                if (n.err() != null) {
                    o.put("err", n.err());
                }
                if (n.isFailure() || n.status() != null) { // only when something went wrong
                    ObjectNode e = o.putObject("error");
                    if (n.stat() != null) e.put("stat", n.stat());
                    if (n.err() != null) e.put("err", n.err());
                    if (n.status() != null) e.put("command_status", n.status());
                    if (n.reason() != null) e.put("reason", n.reason());
                }
            }
        }
        o.put("at", Instant.ofEpochMilli(n.at()).toString());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HMAC-SHA256 of {@code timestamp + "." + body}: a receiver that refuses timestamps more than 5 minutes from its clock
     * cannot be fed a captured callback again later.
     */
    private String sign(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(client.webhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
