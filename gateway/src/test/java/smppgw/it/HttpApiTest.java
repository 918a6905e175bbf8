package smppgw.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import smppgw.daemon.Gateway;
import smppgw.sim.SmscSimulator;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal is a precise status and JSON body, and nothing refused reaches the store or the SMSC. */
class HttpApiTest {
    @TempDir
    static Path dir;
    static SmscSimulator sim;
    static Gateway gw;
    static Http http;

    @BeforeAll
    static void start() {
        int smsc = Ports.free();
        sim = new SmscSimulator(Configs.simulator(smsc, "  receipt-delay: 1ms\n")).startUnchecked();
        int port = Ports.free();
        // only +33 is routed: no default operator
        gw = Gateway.start(Configs.gateway(dir, port, Configs.operator("fr", "+33", false, smsc, 1, 10)), Clock.systemUTC());
        http = new Http(port);
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
    }

    @AfterAll
    static void stop() {
        gw.close();
        sim.close();
    }

    private static void assertError(Http.Response r, int status, String error, String field) {
        assertEquals(status, r.status(), () -> String.valueOf(r.body()));
        assertEquals(error, r.body().get("error").asText(), r.body()::toString);
        if (field != null) {
            assertEquals(field, r.body().get("field").asText(), r.body()::toString);
        }
        assertTrue(r.body().get("message").asText().length() > 10, "a sentence saying what is wrong");
    }

    @Test
    void refusalsAreExactAndStoreNothing() {
        assertError(http.post("/v1/messages", "{\"to\":"), 400, "invalid_json", null);
        assertError(http.post("/v1/messages", "[1,2]"), 400, "invalid_json", null);
        // JSON is UTF-8 (RFC 8259): a body that is not is refused, not stored with its bad bytes replaced
        byte[] latin1 = "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertError(http.postBytes("/v1/messages", latin1), 400, "invalid_json", null);
        assertError(http.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"txt\":\"x\"}"), 400, "invalid_field", "txt");
        assertError(http.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\"}"), 400, "invalid_field", "text");
        assertError(http.post("/v1/messages", "{\"to\":33612345678,\"from\":\"ACME\",\"text\":\"x\"}"), 400, "invalid_field", "to");
        assertError(http.post("/v1/messages", "{\"to\":\"+33 6 12\",\"from\":\"ACME\",\"text\":\"x\"}"), 400, "invalid_field", "to");
        assertError(http.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME MARKETING\",\"text\":\"x\"}"), 400, "invalid_field", "from");
        assertError(http.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"" + "ê".repeat(671) + "\"}"),
                400, "invalid_field", "text");
        assertError(http.post("/v1/messages", "{\"to\":\"+442079460000\",\"from\":\"ACME\",\"text\":\"x\"}"), 422, "no_route", "to");
        assertError(http.get("/v1/messages/01M81ZQBK84ZF8TZ24HRNS3PXS"), 404, "not_found", "id");
        assertError(http.get("/v2/nothing"), 404, "not_found", null);
        assertError(http.send("DELETE", "/v1/messages", null), 405, "method_not_allowed", null);

        // accepted ones, including a duplicate by client_ref
        Http.Response a = http.post("/v1/messages", "{\"to\":\"0033612345678\",\"from\":\"ACME\",\"text\":\"x\",\"client_ref\":\"k1\"}");
        assertEquals(202, a.status());
        assertEquals("fr", a.body().get("operator").asText());
        String id = a.body().get("id").asText();
        Await.until(Duration.ofSeconds(10), () -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED, () -> "not delivered");
        Http.Response again = http.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"x\",\"client_ref\":\"k1\"}");
        assertEquals(200, again.status());
        assertEquals(id, again.body().get("id").asText());
        assertEquals("DELIVERED", again.body().get("state").asText());
        assertTrue(again.body().get("duplicate").asBoolean());
        assertEquals("+33612345678", http.get("/v1/messages/" + id).body().get("to").asText());

        // the SMSC saw exactly one message: nothing refused or repeated was stored or sent
        assertEquals(1, sim.stats().submits.get());

        String[] metrics = http.getText("/metrics");
        assertEquals("200", metrics[0]);
        assertTrue(metrics[1].contains("smppgw_intake_total{client=\"-\",interface=\"http\",result=\"accepted\"} 1.0"), metrics[1]);
        assertTrue(metrics[1].contains("smppgw_intake_total{client=\"-\",interface=\"http\",result=\"no_route\"} 1.0"), metrics[1]);
        assertTrue(metrics[1].contains("smppgw_submit_responses_total{operator=\"fr\",status=\"ESME_ROK\"} 1.0"), metrics[1]);
        assertTrue(metrics[1].contains("smppgw_receipts_total{operator=\"fr\",stat=\"DELIVRD\"} 1.0"), metrics[1]);
        assertTrue(metrics[1].contains("smppgw_binds_up{operator=\"fr\"} 1.0"), metrics[1]);
        assertTrue(metrics[1].contains("smppgw_bind_up{bind=\"fr-0\",operator=\"fr\"} 1.0"), "per-bind series: " + metrics[1]);
        assertTrue(metrics[1].contains("smppgw_receipt_seconds_count{operator=\"fr\"} 1"), "submit→receipt latency observed: " + metrics[1]);
        assertTrue(metrics[1].contains("# HELP smppgw_backlog_messages messages waiting on disk for the operator"), metrics[1]);
        assertTrue(metrics[1].contains("jvm_memory_used_bytes"), "JVM metrics too");
    }
}
