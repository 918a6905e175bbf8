package smppgw.store;

import smppgw.model.AcceptResult;
import smppgw.model.Cap;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.NewMessage;

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
        return NewMessage.of("op", "acme", "ACME", to, "Soldes").messageClass(Message.PROMOTIONAL).cap(TWO_PER_WEEK).build();
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
            assertTrue(stored(s, NewMessage.of("op", "acme", "ACME", "+33611111111", "Code 1234").build()), "transactional is not capped");

            clock.advance(Duration.ofDays(4).minusMillis(1)); // 1 ms before the first one leaves the window
            assertEquals("frequency_cap", s.accept(List.of(promo("+33611111111"))).join().get(0).refusal());
            clock.advance(Duration.ofMillis(1)); // exactly 7 days after the first
            assertTrue(stored(s, promo("+33611111111")));
            assertEquals("frequency_cap", s.accept(List.of(promo("+33611111111"))).join().get(0).refusal());
        }
    }

    @Test
    void deferredMessagesWaitUntilTheyFitAndCountWhenTheyAreSent() {
        long day = Duration.ofDays(1).toMillis();
        Cap defer = new Cap(2, 7 * day, true, t -> t);
        Cap deferIntoWindow = new Cap(2, 7 * day, true, t -> t + Duration.ofHours(1).toMillis()); // the next opening is an hour on
        try (ChronicleMessageStore s = open()) {
            long t0 = clock.millis();
            String a = s.accept(List.of(capped("+33644444444", defer))).join().get(0).id();
            clock.advance(Duration.ofDays(1));
            s.accept(List.of(capped("+33644444444", defer))).join();
            clock.advance(Duration.ofDays(1));
            String third = s.accept(List.of(capped("+33644444444", defer))).join().get(0).id();
            String fourth = s.accept(List.of(capped("+33644444444", deferIntoWindow))).join().get(0).id();
            assertEquals(MessageState.SCHEDULED, s.find(third).orElseThrow().state());
            assertEquals(t0 + 7 * day, s.find(third).orElseThrow().message().sendAt(), "when the first one leaves the 7 days");
            // sent at t0, t0+1d, t0+7d: the fourth fits 7 days after the second, then waits for its window
            assertEquals(t0 + 8 * day + Duration.ofHours(1).toMillis(), s.find(fourth).orElseThrow().message().sendAt());
            assertEquals(MessageState.ACCEPTED, s.find(a).orElseThrow().state());
        }
    }

    private static NewMessage capped(String to, Cap cap) {
        return NewMessage.of("op", "acme", "ACME", to, "Soldes").messageClass(Message.PROMOTIONAL).cap(cap).build();
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
