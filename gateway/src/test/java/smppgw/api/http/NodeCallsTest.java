package smppgw.api.http;

import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import smppgw.testing.Await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sharded node's calls to another node, over real TCP to a server that holds every request until told: however many
 * calls are made at once, at most {@link NodeCalls#MAX_PER_NODE} connections are opened; the rest wait their turn and
 * are all answered, in order of their connection's availability.
 */
class NodeCallsTest {
    @Test
    void fiftyCallsAtOnceShareAtMostTheBoundsConnectionsAndAreAllAnswered() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/admin/shards/refs", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            inFlight.decrementAndGet();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        try (NodeCalls calls = new NodeCalls(null, 30_000)) {
            int n = 50;
            String[] answers = new String[n];
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.send(url, Upstream.internal(url, "/admin/shards/refs", ("{\"call\":" + k + "}").getBytes(StandardCharsets.UTF_8), "key", "a"),
                        new Upstream.Outcome() {
                            @Override
                            public void answered(FullHttpResponse response) {
                                answers[k] = response.content().toString(StandardCharsets.UTF_8);
                                response.release();
                                done.countDown();
                            }

                            @Override
                            public void failed(boolean sent, Throwable cause) {
                                answers[k] = "failed: " + cause;
                                done.countDown();
                            }
                        });
            }
            Await.until(Duration.ofSeconds(30), () -> inFlight.get() >= NodeCalls.MAX_PER_NODE, () -> inFlight.get() + " requests held");
            release.countDown();
            assertTrue(done.await(60, TimeUnit.SECONDS), "every call answered");
            for (int i = 0; i < n; i++) {
                assertEquals("{\"call\":" + i + "}", answers[i], "call " + i + " got its own answer");
            }
            assertTrue(clientPorts.size() <= NodeCalls.MAX_PER_NODE, () -> clientPorts.size() + " connections for " + n + " calls");
            assertEquals(NodeCalls.MAX_PER_NODE, most.get(), "the bound's worth in flight at once, never more");
        } finally {
            server.stop(0);
        }
    }
}
