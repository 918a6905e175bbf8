package smppgw.daemon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

import smppgw.config.GatewayConfig;
import smppgw.config.OperatorConfig;
import smppgw.dispatch.Dispatcher;
import smppgw.store.chronicle.ChronicleMessageStore;

/** What {@code /admin/status} adds per operator to the health answer: admin state, counts, and how its receipts are read. */
final class StatusDetail {
    private StatusDetail() {
    }

    static void operators(ObjectNode ops, Map<String, Dispatcher> dispatchers, Set<String> draining, GatewayConfig config, ChronicleMessageStore store) {
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
