package smppgw.receipt;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random SMSC id layouts (how responses and receipts write ids: base, case, padding), id sequences (sequential ids
 * make the other base's reading name another message) and interleavings (receipts before their submit_sm_resp): a
 * receipt is never put on a message other than its own, and no message gets two final receipts.
 */
class CorrelationPropertyTest {
    /** How an SMSC writes its ids: in the response, and in the receipt. */
    record Layout(boolean hexResponse, boolean upperResponse, int padResponse, boolean hexReceipt, boolean upperReceipt, int padReceipt) {
        String response(long id) {
            return write(id, hexResponse, upperResponse, padResponse);
        }

        String receipt(long id) {
            return write(id, hexReceipt, upperReceipt, padReceipt);
        }

        private static String write(long id, boolean hex, boolean upper, int pad) {
            String s = hex ? Long.toHexString(id) : Long.toString(id);
            s = upper ? s.toUpperCase(Locale.ROOT) : s;
            return "0".repeat(Math.max(0, pad - s.length())) + s;
        }
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(0, 10, 20),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(0, 10, 20)).as(Layout::new);
    }

    @Property(tries = 500)
    void noReceiptIsEverPutOnAnotherMessage(@ForAll("layouts") Layout layout, @ForAll long seed,
                                           @ForAll boolean sequential) {
        Random random = new Random(seed);
        int n = 30 + random.nextInt(150);
        long first = sequential ? 1 + random.nextInt(500) : 1L << 20;
        Replayer journal = new Replayer();
        List<Entry> entries = new ArrayList<>();
        Map<String, String> receiptIdOf = new HashMap<>();
        Map<String, String> statOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String id = "m" + i;
            long smscId = sequential ? first + i : first + random.nextInt(1 << 30);
            String to = "+3361" + String.format("%07d", i);
            journal.write(Entry.accepted(new Message(id, i, "op", "acme", null, "ACME", to, "x", null, null, null, null, null, null, null,
                    null, null)));
            String stat = random.nextInt(5) == 0 ? "UNDELIV" : "DELIVRD";
            receiptIdOf.put(id, layout.receipt(smscId));
            statOf.put(id, stat);
            entries.add(Entry.event(id, "op", Event.submitted(1000 + i, 1, layout.response(smscId), "op-0")));
            entries.add(Entry.receipt(new Receipt("op", "op-" + random.nextInt(2), layout.receipt(smscId), stat, "000", null, null,
                    1000 + i, to.substring(1)))); // the receipt's source address: the handset, without its +
        }
        // random interleaving, keeping each message's submit before its receipt only half the time
        Collections.shuffle(entries, random);
        entries.forEach(journal::write);

        for (int i = 0; i < n; i++) {
            String id = "m" + i;
            List<Event> receipts = journal.state.events(id).stream().filter(e -> e.type() == EventType.RECEIPT).toList();
            for (Event r : receipts) {
                assertEquals(receiptIdOf.get(id), r.smscId(), "a receipt on " + id + " that is not its own, layout " + layout);
            }
            assertTrue(receipts.size() <= 1, id + " got " + receipts.size() + " receipts");
            if (receipts.size() == 1) {
                assertEquals(MessageState.ofReceiptStat(statOf.get(id)), MessageState.derive(journal.state.events(id)));
            }
        }
    }

    @Property(tries = 50)
    void onceTheFormatIsLearnedEveryReceiptFindsItsMessage(@ForAll("layouts") Layout layout, @ForAll long seed) {
        Random random = new Random(seed);
        int n = 200;
        Replayer journal = new Replayer();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "m" + i;
            String to = "+3361" + String.format("%07d", i);
            journal.write(Entry.accepted(new Message(id, i, "op", "acme", null, "ACME", to, "x", null, null, null, null, null, null, null,
                    null, null)));
            long smscId = 1 + i;
            Entry submit = Entry.event(id, "op", Event.submitted(1000 + i, 1, layout.response(smscId), "op-0"));
            Entry receipt = Entry.receipt(new Receipt("op", "op-0", layout.receipt(smscId), "DELIVRD", "000", null, null, 1000 + i, to));
            if (random.nextInt(4) == 0) { // a quarter of receipts come before their submit_sm_resp
                entries.add(receipt);
                entries.add(submit);
            } else {
                entries.add(submit);
                entries.add(receipt);
            }
        }
        entries.forEach(journal::write);
        long delivered = journal.state.events.values().stream()
                .filter(ev -> MessageState.derive(ev) == MessageState.DELIVERED).count();
        assertEquals(n, delivered, "every message has its receipt, layout " + layout + ": " + journal.state.idFormat("op"));
    }
}
