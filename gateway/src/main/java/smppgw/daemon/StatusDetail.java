package smppgw.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.kafka.ActiveMember;
import smppgw.store.kafka.KafkaJournal;

/**
 * What {@code /admin/status} adds to the health answer: per operator its admin state, counts, and how its receipts are
 * read; with {@code store.type: kafka}, the copy of the journal to Kafka ({@code replication}).
 */
final class StatusDetail {
    private StatusDetail() {
    }

    static void add(ObjectNode n, Map<String, Dispatcher> dispatchers, Set<String> draining, GatewayConfig config, ChronicleMessageStore store,
                    List<AutoCloseable> parts, Replication.Start startedFrom) {
        operators((ObjectNode) n.get("operators"), dispatchers, draining, config, store);
        for (AutoCloseable p : parts) {
            if (p instanceof KafkaJournal k) {
                KafkaJournal.Status s = k.status();
                ObjectNode r = n.putObject("replication");
                r.put("store", "kafka").put("topic", s.topic()).put("node_id", s.nodeId()).put("epoch", s.epoch());
                r.put("acknowledged_index", s.acknowledgedIndex() < 0 ? null : Long.toHexString(s.acknowledgedIndex()));
                r.put("waiting_answers", s.waitingAnswers()).put("oldest_wait_ms", s.oldestWaitMs());
                r.put("state", s.problem() == null ? "ok" : s.problem().startsWith("fenced") ? "fenced" : "behind").put("reason", s.problem());
                if (startedFrom != null) {
                    r.putObject("start").put("journal", startedFrom.journal()).put("records_read_from_kafka", startedFrom.readFromKafka())
                            .put("records_replayed", startedFrom.replayed()).put("took_ms", startedFrom.tookMs());
                }
                if (config.store().kafka().failoverGroup() != null) {
                    failoverGroup(r.putObject("failover_group"), config.store().kafka());
                }
            }
        }
    }

    /** The group's name and its nodes as Kafka sees them: which one is active, which stand by. */
    private static void failoverGroup(ObjectNode g, smppgw.config.KafkaStoreConfig k) {
        g.put("name", k.failoverGroup()).put("session_timeout_ms", k.sessionTimeout().toMillis());
        try {
            var nodes = g.putArray("nodes");
            for (ActiveMember.Member m : ActiveMember.members(k)) {
                ObjectNode node = nodes.addObject().put("node_id", m.nodeId()).put("host", m.host()).put("url", m.url());
                if (m.smpp() != null) {
                    node.put("smpp", m.smpp());
                }
                node.put("role", m.active() ? "active" : "standby");
            }
        } catch (RuntimeException e) {
            g.put("error", e.getMessage());
        }
    }

    private static void operators(ObjectNode ops, Map<String, Dispatcher> dispatchers, Set<String> draining, GatewayConfig config, ChronicleMessageStore store) {
        dispatchers.forEach((name, d) -> ((ObjectNode) ops.get(name)).put("paused", d.paused()).put("draining", draining.contains(name))
                .put("submitted", d.submitted()).put("failed", d.failed()).put("retried", d.retried()));
        Map<String, String> accounts = config.receiptDomains();
        for (OperatorConfig op : config.operators()) {
            ObjectNode r = ((ObjectNode) ops.get(op.name())).putObject("receipts");
            smppgw.model.ReceiptIdFormat.Learning l = store.receiptIdFormat(accounts.get(op.name()));
            r.put("id_format", op.receipts().idFormatLabel());
            r.put("account", accounts.get(op.name()));
            if (op.receipts().idFormat() == null) {
                r.put("learned", l.locked() == null ? null : l.locked().label());
                r.putObject("votes").put("same", l.same()).put("hex-to-dec", l.hexToDec()).put("dec-to-hex", l.decToHex());
                r.put("contradictions", l.contradictions());
            }
        }
    }
}
