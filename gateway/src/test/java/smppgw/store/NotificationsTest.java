package smppgw.store;

import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.NewMessage;
import smppgw.model.Notification;
import smppgw.model.Receipt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What clients are told, in order, once per state change, and never twice after a crash. */
class NotificationsTest {
    @TempDir
    Path dir;

    private ChronicleMessageStore open() {
        return ChronicleMessageStore.open(dir, List.of("op"), Set.of("acme"), Map.of("36111", "acme"), Duration.ofHours(72), 64, 1024,
                Clock.systemUTC(), new StateLog(true, false));
    }

    private static List<String> drain(ChronicleMessageStore s, String reader, boolean commit) throws Exception {
        List<String> out = new ArrayList<>();
        try (MessageStore.NotificationReader r = s.openNotifications("acme", reader)) {
            for (MessageStore.Indexed i = r.next(); i != null; i = r.next()) {
                Notification n = i.notification();
                out.add(n.kind().equals(Notification.MO) ? "MO:" + n.text() : n.state());
            }
            if (commit) {
                r.commit(r.position());
            }
        }
        if (commit) {
            s.barrier().get(10, TimeUnit.SECONDS); // cursor commits are applied by the journal thread
        }
        return out;
    }

    @Test
    void oneNotificationPerStateChangeInOrderAndMoByNumber() throws Exception {
        try (ChronicleMessageStore s = open()) {
            String id = s.accept(List.of(NewMessage.of("op", "acme", "ACME", "+33612345678", "hi").receipt(1).build())).get(10, TimeUnit.SECONDS).get(0).id();
            String other = s.accept(List.of(NewMessage.of("op", "beta", "ACME", "+33612345679", "hi").build())).get(10, TimeUnit.SECONDS).get(0).id();
            s.record(id, "op", Event.submitted(2, 1, "a1", "op-0"));
            s.record(other, "op", Event.submitted(2, 1, "b1", "op-0"));
            s.recordReceipt(new Receipt("op", "op-0", "a1", "ENROUTE", "000", null, null, 3)).get(10, TimeUnit.SECONDS);
            s.recordReceipt(new Receipt("op", "op-0", "a1", "DELIVRD", "000", null, null, 4)).get(10, TimeUnit.SECONDS);
            s.recordReceipt(new Receipt("op", "op-0", "a1", "DELIVRD", "000", null, null, 5)).get(10, TimeUnit.SECONDS); // duplicate
            s.recordReceipt(new Receipt("op", "op-0", "a1", "UNDELIV", "001", null, null, 6)).get(10, TimeUnit.SECONDS); // too late
            s.recordInbound(new Inbound("M1", 7, "op", "op-0", "+33612345678", "36111", "OUI")).get(10, TimeUnit.SECONDS);
            s.recordInbound(new Inbound("M2", 8, "op", "op-0", "+33612345678", "99999", "not ours")).get(10, TimeUnit.SECONDS);
            s.barrier().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("ACCEPTED", "SUBMITTED", "DELIVERED", "MO:OUI"), drain(s, "smpp", false));

            // a reader's cursor is its own; a committed one resumes after what it has seen
            assertEquals(4, drain(s, "webhook", true).size());
            assertEquals(List.of(), drain(s, "webhook", false));
            Notification first;
            try (MessageStore.NotificationReader r = s.openNotifications("acme", "smpp")) {
                first = r.next().notification();
            }
            assertEquals(id, first.id());
            assertEquals(1, first.receipt());
            assertEquals("+33612345678", first.to());
        }
    }

    @Test
    void aStateRebuiltFromTheJournalDoesNotNotifyTwice() throws Exception {
        try (ChronicleMessageStore s = open()) {
            String id = s.accept(List.of(NewMessage.of("op", "acme", "ACME", "+33612345678", "hi").build())).get(10, TimeUnit.SECONDS).get(0).id();
            s.record(id, "op", Event.submitted(2, 1, "a1", "op-0"));
            s.barrier().get(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> p = Files.walk(dir.resolve("state"))) {
            p.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
        try (ChronicleMessageStore s = open()) {
            assertEquals(List.of("ACCEPTED", "SUBMITTED"), drain(s, "smpp", false));
            // and what happens next is told once
            s.recordReceipt(new Receipt("op", "op-0", "a1", "DELIVRD", "000", null, null, 4)).get(10, TimeUnit.SECONDS);
            s.barrier().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("ACCEPTED", "SUBMITTED", "DELIVERED"), drain(s, "smpp", false));
        }
    }

    @Test
    void aConcatenatedMoIsJoinedFromPartsInAnyOrderAcrossARestart() throws Exception {
        try (ChronicleMessageStore s = open()) {
            s.recordInbound(new Inbound("P2", 2, "op", "op-0", "+33612345678", "36111", "part two, ", 7, 3, 2)).get(10, TimeUnit.SECONDS);
            s.barrier().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), s.recentInbound(5), "nothing until every part is here");
        }
        try (ChronicleMessageStore s = open()) {
            s.recordInbound(new Inbound("P3", 3, "op", "op-0", "+33612345678", "36111", "part three.", 7, 3, 3)).get(10, TimeUnit.SECONDS);
            // another message with the same reference from another handset is not mixed in
            s.recordInbound(new Inbound("X1", 3, "op", "op-0", "+33699999999", "36111", "other ", 7, 2, 1)).get(10, TimeUnit.SECONDS);
            s.recordInbound(new Inbound("P1", 1, "op", "op-0", "+33612345678", "36111", "Part one, ", 7, 3, 1)).get(10, TimeUnit.SECONDS);
            s.barrier().get(10, TimeUnit.SECONDS);
            List<Inbound> in = s.recentInbound(5);
            assertEquals(1, in.size());
            assertEquals("Part one, part two, part three.", in.get(0).text());
            assertEquals("P1", in.get(0).id());
            assertEquals(List.of("MO:Part one, part two, part three."), drain(s, "smpp", false));
        }
    }

    @Test
    void clientsWithoutNotificationsHaveNoQueue() {
        try (ChronicleMessageStore s = open()) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> s.openNotifications("beta", "smpp"));
        }
    }
}
