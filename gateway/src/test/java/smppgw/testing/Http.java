package smppgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON-over-HTTP client for tests. */
public final class Http {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final String base;
    private final String key;

    public record Response(int status, JsonNode body) {
    }

    public Http(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private Http(String base, String key) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, key);
    }

    private Http(HttpClient client, String base, String key) {
        this.client = client;
        this.base = base;
        this.key = key;
    }

    /** A client of {@code https://127.0.0.1:port} trusting what {@code tls} trusts. */
    public static Http https(int port, javax.net.ssl.SSLContext tls) {
        return new Http(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build(), "https://127.0.0.1:" + port, null);
    }

    /** The admin token a gateway wrote to its data directory. */
    public static String adminToken(java.nio.file.Path dataDir) {
        try {
            return java.nio.file.Files.readString(smppgw.daemon.Gateway.adminTokenFile(dataDir)).trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An admin client of the gateway on {@code port}: the token it wrote to {@code dataDir}'s admin.token. */
    public static Http admin(java.nio.file.Path dataDir, int port) {
        try {
            return new Http(port).withKey(java.nio.file.Files.readString(smppgw.daemon.Gateway.adminTokenFile(dataDir)).trim());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same, sending {@code Authorization: Bearer key}. */
    public Http withKey(String apiKey) {
        return new Http(client, base, apiKey);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    public CompletableFuture<Response> postAsync(String path, String json) {
        HttpRequest r = request(path)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(Http::parse);
    }

    public Response post(String path, String json) {
        return postAsync(path, json).join();
    }

    /** A POST of these exact bytes as {@code application/json} (for bodies that are not valid UTF-8). */
    public Response postBytes(String path, byte[] body) {
        HttpRequest r = request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(Http::parse).join();
    }

    /** Whether the message with this id is DELIVERED, as {@code GET /v1/messages/{id}} says. */
    public boolean delivered(String id) {
        Response r = get("/v1/messages/" + id);
        return r.status() == 200 && "DELIVERED".equals(r.body().get("state").asText());
    }

    public Response get(String path) {
        try {
            HttpRequest r = request(path).GET().build();
            return parse(client.send(r, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain-text GET: status and body. */
    public String[] getText(String path) {
        try {
            HttpResponse<String> r = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new String[] {String.valueOf(r.statusCode()), r.body()};
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A campaign's recipient list as {@code text/csv}: the status and the body as written. */
    public HttpResponse<String> postCsv(String path, String csv) {
        try {
            return client.send(request(path).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response send(String method, String path, String body) {
        try {
            HttpRequest.Builder b = request(path)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpRequest r = (body == null ? b : b.header("Content-Type", "application/json")).build();
            return parse(client.send(r, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response parse(HttpResponse<String> r) {
        try {
            return new Response(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }
}
