package smppgw.it;

import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import smppgw.daemon.Gateway;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.testing.Await;
import smppgw.testing.Http;
import smppgw.testing.GatewayExtension;
import smppgw.testing.JsmppSmsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SMSC (jSMPP) that drops a fifth of its receipts and answers query_sm: with {@code receipts.query-after: 2s} every
 * message ends DELIVERED a little after that, the dropped ones through query_sm ({@code via: query}), and the SMSC never
 * sees more requests in a second than the operator's {@code tps}, submits and queries together.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class QuerySmTest {
    private static final int TPS = 50;

    @RegisterExtension
    final GatewayExtension env = new GatewayExtension();
    private JsmppSmsc smsc;
    private Gateway gw;

    @Test
    void droppedReceiptsAreRecoveredWithQuerySmWithinTheOperatorsRate() throws Exception {
        Random random = new Random(7);
        smsc = env.jsmpp((sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 100, random.nextInt(5) == 0));
        gw = env.startWith("", "  - name: op\n    default: true\n    tps: " + TPS + "\n    receipts: {query-after: 2s}\n"
                + "    binds: [{host: 127.0.0.1, port: " + env.smscPort() + ", system-id: gw, password: pw, window: 50}]\n");
        Http http = env.http();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // 4 s of sending at 50/s
            ids.add(http.post("/v1/messages", "{\"to\":\"+4479460" + String.format("%05d", i) + "\",\"from\":\"ACME\",\"text\":\"q\"}")
                    .body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(60), () -> ids.stream().allMatch(id -> view(id).state() == MessageState.DELIVERED),
                () -> ids.stream().map(id -> view(id).state()).collect(Collectors.groupingBy(s -> s, Collectors.counting())).toString());

        long byQuery = ids.stream().filter(id -> view(id).events().stream().anyMatch(e -> "query".equals(e.via()))).count();
        assertTrue(byQuery >= 20, "about a fifth found by query_sm: " + byQuery);
        for (String id : ids) {
            List<Event> finals = view(id).events().stream().filter(e -> e.type() == EventType.RECEIPT).toList();
            assertEquals(1, finals.size(), "one final event each: " + finals);
            Event f = finals.get(0);
            if ("query".equals(f.via())) {
                long submitted = view(id).events().stream().filter(e -> e.type() == EventType.SUBMITTED).findFirst().orElseThrow().at();
                assertTrue(f.at() - submitted >= 2000, "asked only after query-after: " + (f.at() - submitted) + " ms");
            }
        }
        assertTrue(smsc.queries.get() >= byQuery);
        // the SMSC's view: submits and queries together in any second never above tps (5% slack for clock edges)
        List<Long> times = new ArrayList<>(smsc.requestTimes);
        java.util.Collections.sort(times);
        int max = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 1_000_000_000L) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        System.out.printf("query_sm: %d messages, %d receipts dropped and found by query_sm, %d query_sm sent, at most %d requests in a"
                + " second at the SMSC (tps %d)%n", ids.size(), byQuery, smsc.queries.get(), max, TPS);
        assertTrue(max <= TPS * 1.05 + 1, "at most " + TPS + " requests in any second at the SMSC, saw " + max);
    }

    private MessageView view(String id) {
        return gw.store().find(id).orElseThrow();
    }
}
