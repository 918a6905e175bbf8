package smppgw.api.smpp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import smppgw.model.Notification;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which state changes become SMPP receipts for an integrator: one per message, READ included only when it came first. */
class ReceiptsTest {
    private static Notification state(String state, Integer registeredDelivery, Boolean wasFinal) {
        return new Notification(Notification.STATE, 1, "acme", "01ID", null, state, 1000, "fr", "36111", "+33611111111", 0L, null, null,
                null, null, null, "x", registeredDelivery, wasFinal);
    }

    @Test
    void readAfterAReceiptIsNoSecondReceiptButReadFirstIsTheDeliveryReceipt() throws Exception {
        assertTrue(Receipts.wanted(state("DELIVERED", 1, null)));
        assertFalse(Receipts.wanted(state("READ", 1, true)), "already told DELIVERED");
        assertTrue(Receipts.wanted(state("READ", 1, null)), "read before any receipt: the one receipt it gets");
        String body = new String(Receipts.receipt(state("READ", 1, null)).getShortMessage(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("stat:DELIVRD"), body);
        assertFalse(Receipts.wanted(state("READ", 2, null)), "failures only: read is no failure");
        assertTrue(Receipts.wanted(state("UNDELIVERED", 2, null)));
        assertFalse(Receipts.wanted(state("SUBMITTED", 1, null)));
    }
}
