package smppgw.it;

import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import smppgw.daemon.Gateway;
import smppgw.model.Inbound;
import smppgw.model.MessageState;
import smppgw.testing.Await;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Interop with an SMSC nobody here wrote: a jSMPP server answers submits with hex ids and sends its own
 * receipts (jSMPP's DeliveryReceipt format, decimal ids) and one message from a handset.
 */
class JsmppSmscInteropTest {
    @TempDir
    Path dir;
    private JsmppSmsc smsc;
    private Gateway gateway;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        smsc.close();
    }

    @Test
    void messagesSubmittedToAJsmppSmscEndDeliveredFromItsReceipts() throws Exception {
        int smscPort = Ports.free();
        smsc = new JsmppSmsc(smscPort, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0));
        int httpPort = Ports.free();
        gateway = Gateway.start(Configs.gateway(dir, httpPort, Configs.operator("jsmpp", null, true, smscPort, 1, 20)), Clock.systemUTC());
        Await.until(Duration.ofSeconds(10), () -> gateway.health().ok(), () -> gateway.health().detail().toString());

        Http http = new Http(httpPort);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+4479460000" + String.format("%02d", i)
                    + "\",\"from\":\"+33612345678\",\"text\":\"Grüße " + i + " ✓\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> state(id) == MessageState.DELIVERED),
                () -> ids.stream().filter(id -> state(id) != MessageState.DELIVERED).count() + " not delivered");

        // What jSMPP received: international addresses, UCS-2 for the non-GSM text, receipts requested.
        SubmitSm first = smsc.submits.stream().filter(s -> s.getDestAddress().equals("447946000000")).findFirst().orElseThrow();
        assertEquals(TypeOfNumber.INTERNATIONAL.value(), first.getDestAddrTon());
        assertEquals(TypeOfNumber.INTERNATIONAL.value(), first.getSourceAddrTon());
        assertEquals("33612345678", first.getSourceAddr());
        assertEquals(8, first.getDataCoding());
        assertEquals("Grüße 0 ✓", new String(first.getShortMessage(), StandardCharsets.UTF_16BE));
        assertEquals(1, first.getRegisteredDelivery() & 1);

        // A handset writes back: the gateway records it as an inbound message.
        smsc.sessions.get(0).deliverShortMessage("", TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "447946000007",
                TypeOfNumber.INTERNATIONAL, NumberingPlanIndicator.ISDN, "33612345678", new ESMClass(), (byte) 0, (byte) 0,
                new RegisteredDelivery(0), DataCodings.ZERO, "OUI merci".getBytes(StandardCharsets.ISO_8859_1));
        Await.until(Duration.ofSeconds(10), () -> !gateway.store().recentInbound(1).isEmpty(), () -> "no inbound message");
        Inbound mo = gateway.store().recentInbound(1).get(0);
        assertEquals("+447946000007", mo.from());
        assertEquals("+33612345678", mo.to());
        assertEquals("OUI merci", mo.text());
        assertEquals("jsmpp", mo.operator());
    }

    private MessageState state(String id) {
        return gateway.store().find(id).map(v -> v.state()).orElse(null);
    }
}
