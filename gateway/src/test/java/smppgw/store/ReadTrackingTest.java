package smppgw.store;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Inbound;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;
import smppgw.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** READ via reply: a handset message within the window, from the number a message went to, to its sender address. */
class ReadTrackingTest {
    private static final Duration WINDOW = Duration.ofHours(48);
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());

    private String send(ChronicleMessageStore s, String to) {
        return s.accept(List.of(NewMessage.of("op", "acme", "36111", to, "RDV demain 10h. Répondez OUI pour confirmer").build()))
                .join().get(0).id();
    }

    private static void reply(ChronicleMessageStore s, long at, String from, String to, String text) {
        s.recordInbound(new Inbound("mo-" + at + from, at, "op", "op-0", from, to, text)).join();
    }

    private static MessageView view(ChronicleMessageStore s, String id) {
        return s.find(id).orElseThrow();
    }

    @Test
    void aReplyWithinTheWindowToTheSenderMarksTheMessageReadAndKeepsItsText() {
        List<String> reads = new ArrayList<>();
        try (ChronicleMessageStore s = ChronicleMessageStore.open(dir, List.of("op"), java.util.Set.of(), java.util.Map.of(),
                java.util.Map.of(), WINDOW, Duration.ofHours(1), 64, 1024, clock, new StateLog(true, false))) {
            s.onRead((m, via, ms) -> reads.add(m.id() + " " + via + " " + ms));
            long t0 = clock.millis();
            String a = send(s, "+33611111111");
            String b = send(s, "+33622222222");
            String c = send(s, "+33633333333");

            reply(s, t0 + WINDOW.toMillis(), "33611111111", "36111", "OUI"); // the last millisecond of the window; no '+' from the SMSC
            reply(s, t0 + WINDOW.toMillis() + 1, "+33622222222", "36111", "OUI"); // one millisecond late
            reply(s, t0 + 1000, "+33633333333", "12345", "OUI"); // to another address: a reply to something else

            assertEquals(MessageState.READ, view(s, a).state());
            Event read = view(s, a).events().get(view(s, a).events().size() - 1);
            assertEquals(EventType.READ, read.type());
            assertEquals("reply", read.via());
            assertEquals("OUI", read.reason());
            assertEquals(MessageState.ACCEPTED, view(s, b).state());
            assertEquals(MessageState.ACCEPTED, view(s, c).state());

            reply(s, t0 + WINDOW.toMillis(), "+33611111111", "36111", "Merci !");
            assertEquals(2, view(s, a).events().stream().filter(e -> e.type() == EventType.READ).count(), "later signals are kept");
            assertEquals(List.of(a + " reply " + WINDOW.toMillis()), reads, "the first signal counts once");
        }
    }

    @Test
    void readOutranksReceiptsWhicheverComesFirst() {
        Event accepted = Event.accepted(0);
        Event submitted = Event.submitted(1, 1, "ab", "op-0");
        Event delivered = Event.receipt(3, "ab", "op-0", "DELIVRD", "000");
        Event undelivered = Event.receipt(3, "ab", "op-0", "UNDELIV", "001");
        Event read = Event.read(2, "click", "https://x.example/p");
        assertEquals(MessageState.READ, MessageState.derive(List.of(accepted, submitted, read, delivered)));
        assertEquals(MessageState.READ, MessageState.derive(List.of(accepted, submitted, delivered, read)));
        assertEquals(MessageState.READ, MessageState.derive(List.of(accepted, submitted, undelivered, read)), "a person acted on it");
        assertEquals(MessageState.DELIVERED, MessageState.derive(List.of(accepted, submitted, delivered)));
    }
}
