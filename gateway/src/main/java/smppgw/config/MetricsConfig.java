package smppgw.config;

/**
 * Who may scrape {@code /metrics} (it names clients, operators and volumes). {@code apiKey}: a Bearer key it then
 * requires wherever it is served; {@code listen}: an address of its own (plain HTTP, only {@code /metrics}), and the
 * API port no longer serves it. With neither, the API port answers loopback peers only.
 */
public record MetricsConfig(String apiKey, HostPort listen) {
    static MetricsConfig read(Node n) {
        String key = n.secret("api-key", null);
        if (key != null && key.length() < 16) {
            n.problem("api-key", "****", "at least 16 characters");
        }
        MetricsConfig c = new MetricsConfig(key, n.has("listen") ? n.hostPort("listen", null) : null);
        n.rejectUnknownKeys();
        return c;
    }
}
