package smppgw.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Everything an operator may graph, in Prometheus format on {@code GET /metrics}: stable names, help
 * text, labels per operator, bind or client. Counters that belong to one event are incremented where it
 * happens; levels (binds up, backlog, window, rates) are read from the parts when scraped.
 */
public final class Metrics {
    private static final double[] LATENCY_BUCKETS = {.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Map<String, Metrics> parts = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** submit_sm_resp received, by operator and command_status name (ESME_ROK, ESME_RTHROTTLED, ...). */
    public final Counter submitResponses = Counter.builder().name("smppgw_submit_responses_total")
            .help("submit_sm_resp received from carrier SMSCs, by command_status").labelNames("operator", "status").register(registry);
    /** Submits with no response: expired, or lost with their bind. */
    public final Counter submitsUnanswered = Counter.builder().name("smppgw_submits_unanswered_total")
            .help("submit_sm that got no response (expired or bind lost)").labelNames("operator").register(registry);
    public final Counter lateResponses = Counter.builder().name("smppgw_late_responses_total")
            .help("submit_sm_resp that came after the response timeout, by outcome (ok: the message was taken after all)")
            .labelNames("operator", "outcome").register(registry);
    public final Counter resentAfterTimeout = Counter.builder().name("smppgw_resent_after_timeout_total")
            .help("submits sent again after an attempt whose outcome was unknown (no answer in time, bind lost): each may be a duplicate")
            .labelNames("operator").register(registry);
    public final Counter duplicatesConfirmed = Counter.builder().name("smppgw_duplicates_confirmed_total")
            .help("parts the SMSC accepted twice: a late answer said the first attempt was taken after the resend had gone")
            .labelNames("operator").register(registry);
    public final Histogram submitLatency = Histogram.builder().name("smppgw_submit_response_seconds")
            .help("time from submit_sm to its submit_sm_resp").labelNames("operator").classicUpperBounds(LATENCY_BUCKETS).register(registry);
    /** Receipts received from carriers, by operator and receipt stat. */
    public final Counter receipts = Counter.builder().name("smppgw_receipts_total")
            .help("delivery receipts received from carrier SMSCs, by stat").labelNames("operator", "stat").register(registry);
    public final Counter receiptsUnmatched = Counter.builder().name("smppgw_receipts_unmatched_total")
            .help("receipts not put on a message when they came, by reason: ambiguous (the id reads several ways and the account's"
                    + " format is not known yet), contradicts_format (it names a message only in another format than the learned one)")
            .labelNames("operator", "reason").register(registry);
    public final Counter queries = Counter.builder().name("smppgw_queries_total")
            .help("query_sm about parts whose receipt is overdue (receipts.query-after), by outcome: sent, final (its state recorded),"
                    + " not_final, error, no_answer").labelNames("operator", "outcome").register(registry);
    public final Histogram receiptLatency = Histogram.builder().name("smppgw_receipt_seconds")
            .help("time from a part's submit_sm_resp (SUBMITTED) to its delivery receipt").labelNames("operator")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600).register(registry);
    /** Messages that became READ, by operator and what showed it (reply, click, code). */
    public final Counter read = Counter.builder().name("smppgw_read_total")
            .help("messages read (first signal), by operator and via").labelNames("operator", "via").register(registry);
    public final Histogram readLatency = Histogram.builder().name("smppgw_read_seconds")
            .help("time from a message's acceptance to its first read signal").labelNames("via")
            .classicUpperBounds(1, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 48 * 3600, 7 * 24 * 3600).register(registry);
    /** Binds the integrator SMPP server refused, by reason: unknown_system_id, wrong_password, locked_out. */
    public final Counter smppBindsRefused = Counter.builder().name("smppgw_smpp_binds_refused_total")
            .help("binds refused by the SMPP server, by reason (unknown_system_id, wrong_password, locked_out)").labelNames("reason").register(registry);
    /** Lockouts started by failed binds (a system-id and/or an address). */
    public final Counter smppBindLockouts = Counter.builder().name("smppgw_smpp_bind_lockouts_total")
            .help("lockouts started after repeated failed binds (per system-id and per address)").register(registry);
    /** Tracking-link requests: a person's click (counted as READ), a machine's by its class (smppgw.track.UserAgents), a HEAD or a prefetch. */
    public final Counter linkClicks = Counter.builder().name("smppgw_link_requests_total")
            .help("GET /r/{token} answered with a redirect, by who asked: person, a machine class (http-library, command-line, crawler,"
                    + " link-preview, security-scanner, headless, none), head, prefetch").labelNames("kind").register(registry);
    /** Promo-code redemptions by outcome: redeemed, already, unknown. */
    public final Counter redemptions = Counter.builder().name("smppgw_redemptions_total")
            .help("POST /v1/redemptions by outcome (redeemed, already, unknown)").labelNames("outcome").register(registry);
    /** Suppression-list changes by source (mo, api) and direction (out, in). */
    public final Counter optOuts = Counter.builder().name("smppgw_optouts_total")
            .help("numbers added to (out) or removed from (in) the suppression list, by source").labelNames("source", "direction")
            .register(registry);
    /** What retention purged: messages (text and numbers), mo (handset messages), files (journal and queue days). */
    public final Counter purged = Counter.builder().name("smppgw_purged_total")
            .help("retention: messages stripped of text and numbers, handset messages deleted, journal and queue files deleted")
            .labelNames("kind").register(registry);
    public final Counter inbound = Counter.builder().name("smppgw_mo_total")
            .help("messages from handsets received").labelNames("operator").register(registry);
    /** Intake results by interface (http, smpp), client and result (accepted, duplicate, or the error code). */
    public final Counter intake = Counter.builder().name("smppgw_intake_total")
            .help("messages offered by integrators, by interface, client and result").labelNames("interface", "client", "result")
            .register(registry);
    public final Counter connectionsRefused = Counter.builder().name("smppgw_connections_refused_total")
            .help("connections refused at once: over max-connections or max-connections-per-ip").labelNames("listener").register(registry);
    public final Counter slowRequests = Counter.builder().name("smppgw_slow_requests_total")
            .help("connections closed because a request (HTTP) or PDU (SMPP) did not arrive whole in time").labelNames("listener")
            .register(registry);
    public final Histogram acceptLatency = Histogram.builder().name("smppgw_accept_seconds")
            .help("time from a request arriving to its answer, accepted messages only").labelNames("interface")
            .classicUpperBounds(LATENCY_BUCKETS).register(registry);

    public Metrics() {
        this(true);
    }

    private Metrics(boolean jvm) {
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** A registry for a part a node runs and {@link #attach}es (a sharded node's core): the JVM's figures are the node's. */
    public static Metrics part() {
        return new Metrics(false);
    }

    /** A level read when scraped, one series per key. */
    public <T> void gauge(String name, String help, String label, Iterable<T> items, java.util.function.Function<T, String> key,
                          ToDoubleFunction<T> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> items.forEach(i -> cb.call(value.applyAsDouble(i), key.apply(i)))).register(registry);
    }

    /** A running total kept by a part and read when scraped. */
    public <T> void counter(String name, String help, String label, Iterable<T> items, java.util.function.Function<T, String> key,
                            ToDoubleFunction<T> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames(label)
                .callback(cb -> items.forEach(i -> cb.call(value.applyAsDouble(i), key.apply(i)))).register(registry);
    }

    /** Anything more that needs the registry. */
    public void register(Consumer<PrometheusRegistry> r) {
        r.accept(registry);
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Figures of a part this node runs (a sharded node's core), scraped with this registry's, each series labelled {@code shard}. */
    public void attach(String shard, Metrics part) {
        parts.put(shard, part);
    }

    /** Stops scraping the part attached as {@code shard}. */
    public void detach(String shard) {
        parts.remove(shard);
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
        try {
            if (parts.isEmpty()) {
                writer.write(out, registry.scrape());
            } else {
                Map<String, io.prometheus.metrics.model.snapshots.MetricSnapshots> each = new java.util.TreeMap<>();
                parts.forEach((k, m) -> each.put(k, m.registry.scrape()));
                writer.write(out, Merged.of(registry.scrape(), each, "shard"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
