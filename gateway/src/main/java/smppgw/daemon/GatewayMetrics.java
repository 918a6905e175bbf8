package smppgw.daemon;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import smppgw.api.smpp.SmppServer;
import smppgw.config.ClientConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.metrics.Metrics;
import smppgw.notify.Webhooks;
import smppgw.smpp.OperatorBinds;
import smppgw.smpp.SmppClientPool;
import smppgw.store.MessageStore;

/** The levels and totals read from the running parts each time {@code /metrics} is scraped. */
final class GatewayMetrics {
    private GatewayMetrics() {
    }

    /** Failed TLS handshakes per listener and per operator's binds. */
    static void tls(Metrics m, smppgw.tls.TlsContexts tls) {
        m.register(r -> io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("smppgw_tls_handshake_failures_total")
                .help("TLS handshakes that failed: on a listener (plain text to a TLS port, an untrusted client) or to an SMSC "
                        + "(certificate not trusted or not for the bind's host)").labelNames("endpoint")
                .callback(cb -> {
                    java.util.Map<String, Long> by = new java.util.TreeMap<>();
                    tls.all().forEach(e -> by.merge(e.name(), e.failures(), Long::sum));
                    by.forEach((name, n) -> cb.call(n, name));
                }).register(r));
    }

    static void register(Metrics m, SmppClientPool pool, Map<String, Dispatcher> dispatchers, MessageStore store) {
        binds(m, pool);
        dispatchers(m, dispatchers, store);
    }

    /** The binds of a pool: a gateway's, or a sharded node's (which its cores share). */
    static void binds(Metrics m, SmppClientPool pool) {
        Collection<OperatorBinds> binds = pool.all().values();
        m.gauge("smppgw_binds_up", "SMPP binds bound to the operator's SMSCs", "operator", binds, OperatorBinds::operator,
                OperatorBinds::boundCount);
        m.gauge("smppgw_binds_configured", "SMPP binds configured for the operator", "operator", binds, OperatorBinds::operator,
                b -> b.sessions().size());
        m.gauge("smppgw_window_in_use", "submit_sm in flight over all the operator's binds", "operator", binds,
                OperatorBinds::operator, OperatorBinds::windowInUse);
        m.register(r -> {
            io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("smppgw_bind_up")
                    .help("1 while this SMPP bind is bound (binds added or removed by a reload appear or go)").labelNames("operator", "bind")
                    .callback(cb -> binds.forEach(b -> b.sessions().forEach(s -> cb.call(s.isBound() ? 1 : 0, b.operator(), s.name()))))
                    .register(r);
            io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("smppgw_bind_window_in_use")
                    .help("submit_sm in flight on this bind").labelNames("operator", "bind")
                    .callback(cb -> binds.forEach(b -> b.sessions().forEach(s -> cb.call(s.windowInUse(), b.operator(), s.name()))))
                    .register(r);
            io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("smppgw_bind_connects_total")
                    .help("times this bind has been established (more than 1: it was lost and rebound)").labelNames("operator", "bind")
                    .callback(cb -> binds.forEach(b -> b.sessions().forEach(s -> cb.call(s.bindCount(), b.operator(), s.name()))))
                    .register(r);
            io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("smppgw_bind_failures_total")
                    .help("bind attempts that failed: connection refused, TLS handshake, bind refused or unanswered").labelNames("operator", "bind")
                    .callback(cb -> binds.forEach(b -> b.sessions().forEach(s -> cb.call(s.bindFailures(), b.operator(), s.name()))))
                    .register(r);
            io.prometheus.metrics.core.metrics.CounterWithCallback.builder().name("smppgw_journal_unreadable_total")
                    .help("journal and queue records left out because a crash (or an earlier version on a full disk) tore them")
                    .callback(cb -> cb.call(smppgw.store.chronicle.TornRecords.count())).register(r);
        });
    }

    /** What a core's dispatchers do, and whether its store takes writes. */
    static void dispatchers(Metrics m, Map<String, Dispatcher> dispatchers, MessageStore store) {
        Collection<Dispatcher> ds = dispatchers.values();
        m.gauge("smppgw_retry_waiting", "message parts waiting for their next attempt (after a transient error or no answer)", "operator",
                ds, Dispatcher::operator, Dispatcher::retryWaiting);
        m.gauge("smppgw_backlog_messages", "messages waiting on disk for the operator", "operator", ds, Dispatcher::operator,
                Dispatcher::backlog);
        m.gauge("smppgw_effective_tps", "send rate allowed now (configured tps, lowered while the SMSC throttles); 0 = unlimited",
                "operator", ds, Dispatcher::operator, Dispatcher::effectiveTps);
        m.gauge("smppgw_achieved_tps", "submits sent over the last second", "operator", ds, Dispatcher::operator, Dispatcher::achievedTps);
        m.gauge("smppgw_drain_tps", "how fast the backlog drains: the best one-second send rate of the last minute among seconds"
                + " with messages waiting all along (the tps while sending has just started): max-backlog-time is measured in it", "operator", ds,
                Dispatcher::operator, Dispatcher::drainTps);
        m.counter("smppgw_submitted_total", "message parts accepted by the SMSC (submit_sm_resp 0)", "operator", ds, Dispatcher::operator,
                Dispatcher::submitted);
        m.counter("smppgw_retries_total", "submits to be sent again after a transient error", "operator", ds, Dispatcher::operator,
                Dispatcher::retried);
        m.counter("smppgw_failed_total", "message parts failed for good (permanent error or retries exhausted)", "operator", ds,
                Dispatcher::operator, Dispatcher::failed);
        m.counter("smppgw_expired_total", "message parts whose validity ended before they could be sent", "operator", ds,
                Dispatcher::operator, Dispatcher::expired);
        m.counter("smppgw_throttled_total", "ESME_RTHROTTLED / ESME_RMSGQFUL answers received", "operator", ds, Dispatcher::operator,
                Dispatcher::throttled);
        m.gauge("smppgw_store_writable", "1 while the store takes writes", "store", List.of("state"), s -> s, s -> store.isWritable() ? 1 : 0);
    }

    static void integrators(Metrics m, SmppServer server, List<ClientConfig> clients) {
        List<ClientConfig> smpp = clients.stream().filter(c -> c.systemId() != null).toList();
        m.gauge("smppgw_integrator_binds", "SMPP binds an integrator holds to the gateway", "client", smpp, ClientConfig::name,
                c -> server.boundCount(c.name()));
        m.counter("smppgw_integrator_malformed_total", "malformed PDUs from integrators (answered generic_nack)", "port", List.of("smpp"),
                s -> s, s -> server.counters().malformed.get());
    }

    static void webhooks(Metrics m, Map<String, Webhooks> webhooks) {
        m.counter("smppgw_webhooks_delivered_total", "status callbacks answered 2xx", "client", webhooks.keySet(), c -> c,
                c -> webhooks.get(c).delivered());
        m.counter("smppgw_webhook_failures_total", "status callback attempts that failed", "client", webhooks.keySet(), c -> c,
                c -> webhooks.get(c).failures());
    }
}
