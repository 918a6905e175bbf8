package smppgw.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frequency cap, enforced by the store's single writer: exact at the period's edges, and across a restart. */
class FrequencyCapTest {
    private static final Cap TWO_PER_WEEK = new Cap(2, Duration.ofDays(7).toMillis());
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("op"), Duration.ofHours(1), 64, 1024, clock, new StateLog(true, false));
    }

    private static NewMessage promo(String to) {
        return new NewMessage("op", "acme", null, "ACME", to, "Soldes", 0, 0, null, Message.PROMOTIONAL, TWO_PER_WEEK);
    }

    private static boolean stored(ChronicleMessageStore s, NewMessage m) {
        return s.accept(List.of(m)).join().get(0).stored();
    }

    @Test
    void atMostTwoPromotionalMessagesPerRecipientInAnySevenDays() {
        try (ChronicleMessageStore s = open()) {
            assertTrue(stored(s, promo("+33611111111")));
            clock.advance(Duration.ofDays(3));
            assertTrue(stored(s, promo("+33611111111")));
            AcceptResult third = s.accept(List.of(promo("+33611111111"))).join().get(0);
            assertEquals(AcceptResult.refused("frequency_cap"), third);
            assertTrue(stored(s, promo("+33622222222")), "other recipients have their own count");
            assertTrue(stored(s, new NewMessage("op", "acme", null, "ACME", "+33611111111", "Code 1234", 0)), "transactional is not capped");

            clock.advance(Duration.ofDays(4).minusMillis(1)); // 1 ms before the first one leaves the window
            assertEquals("frequency_cap", s.accept(List.of(promo("+33611111111"))).join().get(0).refusal());
            clock.advance(Duration.ofMillis(1)); // exactly 7 days after the first
            assertTrue(stored(s, promo("+33611111111")));
            assertEquals("frequency_cap", s.accept(List.of(promo("+33611111111"))).join().get(0).refusal());
        }
    }

    @Test
    void messagesInOneBatchCountAgainstEachOtherAndTheCountSurvivesARestart() {
        try (ChronicleMessageStore s = open()) {
            List<AcceptResult> r = s.accept(List.of(promo("+33633333333"), promo("+33633333333"), promo("+33633333333"))).join();
            assertEquals(List.of(true, true, false), r.stream().map(AcceptResult::stored).toList());
        }
        try (ChronicleMessageStore s = open()) {
            assertEquals("frequency_cap", s.accept(List.of(promo("+33633333333"))).join().get(0).refusal());
        }
    }
}
