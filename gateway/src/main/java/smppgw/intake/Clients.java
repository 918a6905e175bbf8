package smppgw.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import smppgw.config.ClientConfig;
import smppgw.rate.TokenBucket;

/**
 * The configured integrators: who an API key or system-id belongs to, and each one's intake rate. With
 * no clients at all the API is open (and the configuration only lets it listen on loopback).
 */
public final class Clients {
    /** One configuration's view; replaced whole on reload so a request sees one or the other. */
    private record State(List<ClientConfig> all, Map<String, ClientConfig> bySystemId, Map<String, TokenBucket> buckets,
                         Map<String, String> defaultClasses) {
    }

    private volatile State state;

    public Clients(List<ClientConfig> clients) {
        this.state = build(clients, Map.of(), List.of());
    }

    /**
     * Applies a reloaded client list: keys, passwords, rates, bind types and bind counts take effect for the
     * next request or bind; a client whose tps is unchanged keeps its bucket (and what it has used of it).
     */
    public void update(List<ClientConfig> clients) {
        State s = state;
        state = build(clients, s.buckets(), s.all());
    }

    private static State build(List<ClientConfig> clients, Map<String, TokenBucket> oldBuckets, List<ClientConfig> old) {
        Map<String, ClientConfig> bySystemId = new HashMap<>();
        Map<String, TokenBucket> buckets = new HashMap<>();
        Map<String, String> classes = new HashMap<>();
        long now = System.nanoTime();
        for (ClientConfig c : clients) {
            if (c.systemId() != null) {
                bySystemId.put(c.systemId(), c);
            }
            if (c.messageClass() != null) {
                classes.put(c.name(), c.messageClass());
            }
            if (c.tps() > 0) {
                boolean same = old.stream().anyMatch(o -> o.name().equals(c.name()) && o.tps() == c.tps());
                TokenBucket kept = same ? oldBuckets.get(c.name()) : null;
                buckets.put(c.name(), kept != null ? kept : new TokenBucket(c.tps(), Math.max(1, c.tps()), now)); // one second of burst
            }
        }
        return new State(List.copyOf(clients), Map.copyOf(bySystemId), Map.copyOf(buckets), Map.copyOf(classes));
    }

    /** The class a client's messages get when they name none ({@code clients[].class}; SMPP submits never do), or null. */
    public String defaultClass(String client) {
        return state.defaultClasses().get(client);
    }

    /** The client's configuration, if it is one (reloads included). */
    public Optional<ClientConfig> byName(String client) {
        return all().stream().filter(c -> c.name().equals(client)).findFirst();
    }

    public List<ClientConfig> all() {
        return state.all();
    }

    public boolean authRequired() {
        return !state.all().isEmpty();
    }

    /** The client whose API key this is; compared in constant time so keys cannot be guessed by timing. */
    public Optional<ClientConfig> byApiKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ClientConfig found = null;
        for (ClientConfig c : state.all()) {
            if (c.apiKey() != null && MessageDigest.isEqual(k, c.apiKey().getBytes(StandardCharsets.UTF_8))) {
                found = c;
            }
        }
        return Optional.ofNullable(found);
    }

    public Optional<ClientConfig> bySystemId(String systemId) {
        return Optional.ofNullable(state.bySystemId().get(systemId));
    }

    /** Takes up to {@code wanted} intake tokens for a client; returns how many it may submit now. */
    public int take(String client, int wanted, long nowNanos) {
        TokenBucket b = state.buckets().get(client);
        if (b == null) {
            return wanted;
        }
        synchronized (b) {
            int n = 0;
            while (n < wanted && b.tryAcquire(nowNanos)) {
                n++;
            }
            return n;
        }
    }

    /** The refusal for a client over its rate. */
    public static InvalidRequestException rateLimited(String client, int tps) {
        return new InvalidRequestException(429, "rate_limited", null, "client " + client + " is limited to " + tps
                + " messages per second; nothing was stored, retry later", null, 1);
    }

    public int tps(String client) {
        return state.all().stream().filter(c -> c.name().equals(client)).mapToInt(ClientConfig::tps).findFirst().orElse(0);
    }
}
