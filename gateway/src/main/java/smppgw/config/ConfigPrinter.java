package smppgw.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The effective configuration, every default filled in, secrets masked: what {@code check-config} prints. */
public final class ConfigPrinter {
    private static final String MASK = "****";

    private ConfigPrinter() {
    }

    public static String toYaml(GatewayConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data-dir", c.dataDir().toString());
        m.put("default-country-code", c.defaultCountryCode());
        m.put("http", map("listen", c.http().listen().toString(), "io-threads", c.http().ioThreads(),
                "max-body-bytes", c.http().maxBodyBytes(), "max-batch", c.http().maxBatch(),
                "request-timeout", d(c.http().requestTimeout()), "idle-timeout", d(c.http().idleTimeout()),
                "max-connections", c.http().maxConnections(), "max-connections-per-ip", c.http().maxConnectionsPerIp(),
                "tls", tls(c.http().tls())));
        GatewayConfig.SmppServerConfig ss = c.smppServer();
        m.put("smpp-server", map("listen", ss.enabled() ? ss.listen().toString() : null, "io-threads", ss.ioThreads(),
                "window", ss.window(), "idle-timeout", d(ss.idleTimeout()), "bind-timeout", d(ss.bindTimeout()),
                "frame-timeout", d(ss.frameTimeout()), "max-connections", ss.maxConnections(), "max-connections-per-ip", ss.maxConnectionsPerIp(),
                "tls", tls(ss.tls())));
        m.put("admin", map("api-key", c.admin().apiKey() == null ? null : MASK));
        m.put("metrics", map("api-key", c.metrics().apiKey() == null ? null : MASK,
                "listen", c.metrics().listen() == null ? null : c.metrics().listen().toString()));
        m.put("intake", map("max-backlog", c.intake().maxBacklog()));
        m.put("smpp-client", map("io-threads", c.smppClient().ioThreads()));
        KafkaStoreConfig k = c.store().kafka();
        m.put("store", map("type", k == null ? "chronicle" : "kafka", "receipt-window", d(c.store().receiptWindow()), "max-batch", c.store().maxBatch(),
                "command-queue", c.store().commandQueue(), "min-free-disk-mb", c.store().minFreeDiskMb(),
                "retention", d(c.store().retention()), "kafka", k == null ? null : map("bootstrap", k.bootstrap(), "topic-prefix", k.topicPrefix(),
                        "replication-factor", k.replicationFactor(), "min-insync-replicas", k.minInsyncReplicas(),
                        "unsafe-single-broker", k.unsafeSingleBroker(), "ack-timeout", d(k.ackTimeout()))));
        if (k != null) {
            m.put("cluster", map("node-id", k.nodeId(), "failover-group", k.failoverGroup(), "session-timeout", d(k.sessionTimeout()), "advertise", k.advertise(),
                    "warm-standby", k.warmStandby(), "shards", k.shards(),
                    "link", k.link() == null ? null : map("listen", k.link().listen().toString(), "password", MASK)));
        }
        m.put("log", map("privacy", c.log().privacy(), "state-changes", c.log().stateChanges()));
        m.put("tracking", map("reply-window", d(c.tracking().replyWindow()), "base-url", c.tracking().baseUrl(),
                "promo-code", map("alphabet", c.tracking().promoAlphabet(), "length", c.tracking().promoLength())));
        m.put("compliance", map("opt-out-keywords", c.compliance().optOutKeywords(), "opt-in-keywords", c.compliance().optInKeywords(),
                "block-transactional", c.compliance().blockTransactional(), "footer", c.compliance().footer(),
                "frequency-cap", map("max", c.compliance().capMax(), "period", d(c.compliance().capPeriod()),
                        "over", c.compliance().capDefer() ? "defer" : "refuse"),
                "send-windows", windows(c.compliance().sendWindows()), "time-zones", c.compliance().timeZones(),
                "default-time-zone", c.compliance().defaultTimeZone() == null ? null : c.compliance().defaultTimeZone().getId(),
                "opt-out-reply", c.compliance().optOutReply()));
        m.put("operators", c.operators().stream().map(ConfigPrinter::operator).toList());
        m.put("clients", c.clients().stream().map(cl -> {
            Map<String, Object> cm = map("name", cl.name(), "api-key", cl.apiKey() == null ? null : MASK, "system-id", cl.systemId(),
                    "password", cl.password() == null ? null : MASK, "tps", cl.tps(), "bind-types", cl.bindTypes());
            cm.put("max-binds", cl.maxBinds());
            cm.put("class", cl.messageClass() == null ? "transactional" : cl.messageClass());
            cm.put("webhook-url", cl.webhookUrl());
            cm.put("webhook-concurrency", cl.webhookConcurrency());
            cm.put("webhook-max-ahead", cl.webhookMaxAhead());
            cm.put("webhook-secret", cl.webhookSecret() == null ? null : MASK);
            cm.put("webhook-accepted", cl.webhookAccepted());
            cm.put("webhook-retry-for", d(cl.webhookRetryFor()));
            cm.put("webhook-backoff", d(cl.webhookBackoff()));
            cm.put("mo-numbers", cl.moNumbers());
            cm.put("block-transactional", cl.blockTransactional());
            cm.put("opt-out-reply", cl.optOutReply());
            return cm;
        }).toList());
        SimulatorConfig s = c.simulator();
        Map<String, Object> sim = map("enabled", s.enabled(), "listen", s.listen().toString(), "system-id", s.systemId(),
                "password", MASK, "id-format", s.idFormat().spelling(), "receipt-id-format", s.receiptIdFormat().spelling(),
                "receipt-delay", d(s.receiptDelay()), "receipt-jitter", d(s.receiptJitter()), "receipt-tlvs", s.receiptTlvs(), "long-dates", s.longDates());
        sim.put("outcomes", s.outcomes().stream().map(o -> map("to-suffix", o.toSuffix(), "no-response", o.noResponse(),
                "submit-status", o.submitStatus(), "stat", o.stat(), "err", o.err(), "mo-reply", o.moReply())).toList());
        sim.put("receipt-mix", s.receiptMix());
        sim.put("throttle-tps", s.throttleTps());
        sim.put("drop-binds-every", d(s.dropBindsEvery()));
        sim.put("mo-reply", s.moReply());
        sim.put("window", s.window());
        sim.put("io-threads", s.ioThreads());
        m.put("simulator", sim);
        try {
            return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)).writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> operator(OperatorConfig o) {
        Map<String, Object> m = map("name", o.name(), "prefixes", o.prefixes(), "default", o.isDefault(), "tps", o.tps(),
                "max-backlog", o.maxBacklog(), "validity", d(o.validity()));
        m.put("adaptive", map("decrease", o.adaptive().decrease(), "increase", o.adaptive().increase(),
                "min-tps", o.adaptive().minTps(), "hold", d(o.adaptive().hold())));
        m.put("encoding", map("gsm-data-coding", o.encoding().gsmDataCoding(), "packing", o.encoding().packed() ? "packed" : "unpacked",
                "concatenation", o.encoding().concatenation().name().toLowerCase(java.util.Locale.ROOT), "max-segments", o.encoding().maxSegments()));
        m.put("retry", map("max-attempts", o.retry().maxAttempts(), "min-backoff", d(o.retry().minBackoff()),
                "max-backoff", d(o.retry().maxBackoff())));
        List<Map<String, Object>> binds = o.binds().stream().map(b -> {
            Map<String, Object> bm = map("host", b.host(), "port", b.port(), "system-id", b.systemId(), "password", MASK,
                    "system-type", b.systemType(), "count", b.count(), "window", b.window(), "tps", b.tps(),
                    "type", b.type().spelling());
            bm.put("enquire-link-interval", d(b.enquireLinkInterval()));
            bm.put("response-timeout", d(b.responseTimeout()));
            bm.put("bind-timeout", d(b.bindTimeout()));
            bm.put("reconnect-min", d(b.reconnectMin()));
            bm.put("reconnect-max", d(b.reconnectMax()));
            bm.put("tls", tls(b.tls()));
            return bm;
        }).toList();
        m.put("binds", binds);
        return m;
    }

    private static String d(Duration x) {
        return Node.format(x);
    }

    private static Map<String, Object> windows(Map<String, smppgw.policy.SendWindow> windows) {
        Map<String, Object> m = new LinkedHashMap<>();
        windows.forEach((cls, w) -> m.put(cls, map("days", w.days().stream().map(d -> d.name().substring(0, 3)).toList(),
                "from", w.from().toString(), "to", w.to().toString())));
        return m;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> tls(TlsConfig t) {
        return t == null ? null : map("ca", t.ca() == null ? null : t.ca().toString(), "cert", t.cert() == null ? null : t.cert().toString(),
                "key", t.key() == null ? null : t.key().toString());
    }
}
