package smppgw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import smppgw.config.GatewayConfig;

/** Talks to a running gateway's admin API: {@code --url}, else the {@code http.listen} of the configuration. */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--url", paramLabel = "URL", description = "the gateway's HTTP address (default: http.listen of the configuration)")
    String url;

    @Option(names = "--admin-key", paramLabel = "KEY", description = "admin.api-key, if configured (default: $SMPPGW_ADMIN_KEY, else the"
            + " configuration's admin.api-key, else the token the gateway wrote to admin.token in its data directory)", defaultValue = "${env:SMPPGW_ADMIN_KEY}")
    String key;

    /**
     * The key to send: --admin-key / $SMPPGW_ADMIN_KEY, else admin.api-key of the configuration, else the running gateway's
     * token from its data directory, else none.
     */
    private String key() throws java.io.IOException {
        if (key != null && !key.isEmpty()) {
            return key;
        }
        if (!Files.exists(config.file)) {
            return null;
        }
        try { // admin.api-key of the configuration (the same on every node of a group), when it reads
            String configured = GatewayConfig.load(config.file).admin().apiKey();
            if (configured != null) {
                return configured;
            }
        } catch (RuntimeException e) {
            // not a configuration that loads here: the token, if any
        }
        java.nio.file.Path token = smppgw.daemon.Gateway.adminTokenFile(GatewayConfig.dataDirOf(config.file));
        if (!Files.isReadable(token)) {
            return null;
        }
        return Files.readString(token).trim();
    }

    private String base() throws java.io.IOException {
        if (url != null) {
            return url;
        }
        if (!Files.exists(config.file)) {
            throw new IllegalStateException("no --url and no configuration at " + config.file);
        }
        return "http://" + GatewayConfig.load(config.file).http().listen();
    }

    /** What the gateway answers on {@code /health} (200 or 503), or null when it does not answer. */
    JsonNode health() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/health"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    /** Status code and JSON body of an admin call; exits 1 with a message if the gateway cannot be reached. */
    JsonNode call(String method, String path) throws Exception {
        String base = base();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
        if (!method.equals("GET")) {
            b.header("Content-Type", "application/json");
        }
        String k = key();
        if (k != null) {
            b.header("Authorization", "Bearer " + k);
        }
        HttpResponse<String> r;
        try {
            r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IllegalStateException("no gateway answering at " + base + " (is it running?)");
        }
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            StringBuilder m = new StringBuilder(r.statusCode() + " " + body.path("message").asText(r.body()));
            for (String list : new String[] {"problems", "needs_restart"}) {
                body.path(list).forEach(p -> m.append(System.lineSeparator()).append("  ").append(p.asText()));
            }
            throw new IllegalStateException(m.toString());
        }
        return body;
    }
}
