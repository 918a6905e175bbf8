package smppgw.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Integrators posting messages to a group's addresses the way the README tells them to: each request with its
 * {@code client_ref}, spread over the addresses, and on no answer or a 503 the same request again to the next address once
 * a node serves.
 */
public final class Integrators implements AutoCloseable {
    /** The id answered for each request (null until answered). */
    public final String[] ids;
    /** The requests that had to be sent more than once. */
    public final boolean[] triedAgain;
    public final AtomicInteger answered = new AtomicInteger();
    public final AtomicInteger retried = new AtomicInteger();
    private final ExecutorService clients;
    private final List<Future<?>> work = new ArrayList<>();

    /**
     * @param body         request {@code i}'s JSON body
     * @param awaitServing waits until some node serves (before a request is sent again)
     */
    public Integrators(int n, int connections, List<Http> addresses, IntFunction<String> body, Runnable awaitServing) {
        ids = new String[n];
        triedAgain = new boolean[n];
        clients = Executors.newFixedThreadPool(connections);
        for (int t = 0; t < connections; t++) {
            int worker = t;
            work.add(clients.submit(() -> {
                for (int i = worker; i < n; i += connections) {
                    for (int attempt = 0; ids[i] == null; attempt++) {
                        Http h = addresses.get((i + attempt) % addresses.size());
                        try {
                            Http.Response r = h.post("/v1/messages", body.apply(i));
                            if (r.status() == 202 || r.status() == 200) {
                                ids[i] = r.body().get("id").asText();
                                answered.incrementAndGet();
                                break;
                            }
                            assertEquals(503, r.status(), r.body()::toString);
                        } catch (RuntimeException e) {
                            // no answer (refused, cut mid-request): that node is down
                        }
                        retried.incrementAndGet();
                        triedAgain[i] = true;
                        awaitServing.run(); // then the same request again, to the next address
                    }
                }
                return null;
            }));
        }
    }

    /** Waits until at least {@code count} requests were answered. */
    public void awaitAnswered(int count, Duration within) {
        Await.until(within, () -> answered.get() >= count, () -> answered.get() + " answered");
    }

    /** Waits until every request was answered (a failed assertion of a worker is thrown here). */
    public void awaitAll(Duration within) throws Exception {
        for (Future<?> f : work) {
            f.get(within.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        clients.shutdownNow();
    }
}
