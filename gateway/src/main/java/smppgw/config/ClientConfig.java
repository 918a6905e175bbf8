package smppgw.config;

import java.util.List;

/**
 * An integrator: how it authenticates (HTTP API key, SMPP system-id/password), how fast it may submit,
 * and where its status callbacks go.
 *
 * @param tps intake limit in messages per second, 0 for none
 */
public record ClientConfig(
        String name,
        String apiKey,
        String systemId,
        String password,
        int tps,
        List<String> bindTypes,
        int maxBinds,
        String webhookUrl,
        String webhookSecret,
        boolean webhookAccepted,
        java.time.Duration webhookRetryFor,
        java.time.Duration webhookBackoff,
        List<String> moNumbers,
        String messageClass,
        int webhookConcurrency,
        int webhookMaxAhead,
        Boolean blockTransactional,
        String optOutReply) {

    /** True if the client is told anything: SMPP receipts and MO, or webhooks. */
    public boolean notified() {
        return systemId != null || webhookUrl != null;
    }

    static ClientConfig read(Node n) {
        String name = n.requiredString("name");
        if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            n.problem("name", name, "lower-case letters, digits, '-' or '_', at most 32 characters");
        }
        String apiKey = n.secret("api-key", null);
        if (apiKey != null && (apiKey.length() < 16 || !apiKey.matches("[A-Za-z0-9_\\-.~+/=]+"))) {
            n.problem("api-key", "****", "at least 16 characters of letters, digits or -_.~+/=");
        }
        String systemId = n.string("system-id", null);
        if (systemId != null && (systemId.isEmpty() || systemId.length() > 15)) {
            n.problem("system-id", systemId, "1 to 15 characters (SMPP 3.4)");
        }
        String password = n.secret("password", null);
        if (password != null && password.length() > 8) {
            n.problem("password", "****", "at most 8 characters (SMPP 3.4)");
        }
        if (systemId != null && password == null) {
            n.problem("password: required with system-id");
        }
        List<String> bindTypes = n.strings("bind-types");
        for (String t : bindTypes) {
            if (!List.of("transceiver", "transmitter", "receiver").contains(t)) {
                n.problem("bind-types", t, "transceiver, transmitter or receiver");
            }
        }
        ClientConfig c = new ClientConfig(name, apiKey, systemId, password,
                (int) n.integer("tps", 0, 0, 1_000_000),
                bindTypes.isEmpty() ? List.of("transceiver", "transmitter", "receiver") : List.copyOf(bindTypes),
                (int) n.integer("max-binds", 4, 1, 1000),
                n.string("webhook-url", null),
                n.secret("webhook-secret", null),
                n.bool("webhook-accepted", false),
                n.duration("webhook-retry-for", java.time.Duration.ofHours(24), java.time.Duration.ofSeconds(1), java.time.Duration.ofDays(30)),
                n.duration("webhook-backoff", java.time.Duration.ofSeconds(1), java.time.Duration.ofMillis(10), java.time.Duration.ofMinutes(10)),
                n.strings("mo-numbers"),
                n.string("class", null),
                (int) n.integer("webhook-concurrency", 8, 1, 256),
                (int) n.integer("webhook-max-ahead", 10_000, 1, 1_000_000),
                n.has("block-transactional") ? n.bool("block-transactional", true) : null,
                n.string("opt-out-reply", null));
        if (c.optOutReply != null && (c.optOutReply.isBlank() || c.optOutReply.length() > 160)) {
            n.problem("opt-out-reply", c.optOutReply, "a confirmation text of 1 to 160 characters");
        }
        if (c.messageClass != null && !List.of("transactional", "promotional", "conversational").contains(c.messageClass)) {
            n.problem("class", c.messageClass, "transactional, promotional or conversational");
        }
        for (String num : c.moNumbers) {
            if (!num.matches("\\+?[0-9]{3,15}")) {
                n.problem("mo-numbers", num, "a short code or an E.164 number the client receives messages on");
            }
        }
        if (apiKey == null && systemId == null) {
            n.problem("a client needs an api-key (HTTP), a system-id (SMPP), or both");
        }
        if (c.webhookUrl != null && !c.webhookUrl.matches("https?://[^\\s]+")) {
            n.problem("webhook-url", c.webhookUrl, "an http:// or https:// URL");
        }
        if (c.webhookUrl != null && (c.webhookSecret == null || c.webhookSecret.length() < 16)) {
            n.problem("webhook-secret", c.webhookSecret == null ? "(missing)" : "****",
                    "a secret of at least 16 characters: every callback is signed with it (HMAC-SHA256)");
        }
        n.rejectUnknownKeys();
        return c;
    }
}
