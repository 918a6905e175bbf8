package smppgw.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client's webhook endpoint on 127.0.0.1 that counts each callback by "message-id STATE", or refuses them all (503)
 * while {@link #refusing} is set, as a receiver that is down would.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** "id state" → times it was called with it (refused calls are not counted). */
    public final Map<String, AtomicInteger> callbacks = new ConcurrentHashMap<>();
    public final AtomicBoolean refusing = new AtomicBoolean();
    private final com.sun.net.httpserver.HttpServer server;
    private final int port;

    public WebhookReceiver() throws java.io.IOException {
        port = Ports.free();
        server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (refusing.get()) {
                ex.sendResponseHeaders(503, -1);
            } else {
                JsonNode n = Http.JSON.readTree(body);
                callbacks.computeIfAbsent(n.get("id").asText() + " " + n.get("state").asText(), k -> new AtomicInteger()).incrementAndGet();
                ex.sendResponseHeaders(204, -1);
            }
            ex.close();
        });
        server.start();
    }

    /** The client's {@code webhook-url}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    public boolean told(String id, String state) {
        return callbacks.containsKey(id + " " + state);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
