package smppgw.store;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.Await;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A message held until its time: not queued before, queued once after, its validity counted from then; across a restart. */
class ScheduleTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T21:00:00Z").toEpochMilli());

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("op"), Duration.ofHours(1), 64, 1024, clock, new StateLog(true, false));
    }

    @Test
    void heldUntilItsTimeThenQueuedOnceEvenAcrossARestart() {
        long t0 = clock.millis();
        long sendAt = t0 + Duration.ofHours(12).toMillis();
        String held;
        String now;
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("op")) {
            held = s.accept(List.of(NewMessage.of("op", "acme", "36111", "+33611111111", "Soldes").validityMs(3_600_000)
                    .messageClass(Message.PROMOTIONAL).sendAt(sendAt).build())).join().get(0).id();
            now = s.accept(List.of(NewMessage.of("op", "acme", "36111", "+33622222222", "Code 1234").validityMs(3_600_000).build())).join().get(0).id();
            MessageView v = s.find(held).orElseThrow();
            assertEquals(MessageState.SCHEDULED, v.state());
            assertEquals(sendAt + 3_600_000, v.message().expiresAt(), "validity counts from the time it may be sent");
            assertEquals(now, q.next().message().id(), "the unscheduled one is queued at once");
            assertNull(q.next(), "the scheduled one is not");
            clock.advance(Duration.ofHours(6));
            s.barrier().join();
            assertNull(q.next(), "still not its time");
        }
        try (ChronicleMessageStore s = open(); MessageStore.QueueReader q = s.openQueue("op")) {
            assertEquals(MessageState.SCHEDULED, s.find(held).orElseThrow().state(), "held across a restart");
            q.next(); // the one read before the restart
            clock.advance(Duration.ofHours(6).minusMillis(1));
            s.barrier().join();
            assertNull(q.next(), "1 ms early");
            clock.advance(Duration.ofMillis(1));
            Await.until(Duration.ofSeconds(5), () -> s.find(held).orElseThrow().state() == MessageState.ACCEPTED, () -> "not released");
            assertEquals(held, q.next().message().id());
            assertNull(q.next(), "queued once");
            List<Event> events = s.find(held).orElseThrow().events();
            assertEquals(List.of(EventType.ACCEPTED, EventType.SCHEDULED, EventType.RELEASED), events.stream().map(Event::type).toList());
            assertEquals(sendAt, events.get(2).at());
        }
    }
}
