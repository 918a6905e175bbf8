package smppgw.receipt;

import org.junit.jupiter.api.Test;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joining concatenated handset messages, on an in-memory state. */
class MoAssemblyTest {
    private final Replayer journal = new Replayer();

    private static Inbound part(String id, long at, String from, int ref, int parts, int seq, String text) {
        return new Inbound(id, at, "op", "op-0", from, "36111", text, ref, parts, seq);
    }

    @Test
    void partsInAnyOrderJoinOnceTheLastIsIn() {
        journal.write(Entry.inbound(part("b", 2, "+33612345678", 7, 3, 3, "c")));
        journal.write(Entry.inbound(part("a", 1, "+33612345678", 7, 3, 1, "a")));
        assertTrue(journal.state.inbound.isEmpty(), "not before the last part");
        journal.write(Entry.inbound(part("c", 3, "+33612345678", 7, 3, 2, "b")));
        assertEquals(1, journal.state.inbound.size());
        Inbound whole = journal.state.inbound.values().iterator().next();
        assertEquals("abc", whole.text(), "in part order");
        assertEquals("a", whole.id(), "the first part's id");
        assertTrue(journal.state.moParts(part("x", 0, "+33612345678", 7, 3, 1, "").partsKey()).isEmpty(), "the parts are forgotten");
    }

    @Test
    void partsOfOtherSendersOrReferencesDoNotMix() {
        journal.write(Entry.inbound(part("a", 1, "+33612345678", 7, 2, 1, "a")));
        journal.write(Entry.inbound(part("b", 2, "+33612345679", 7, 2, 2, "b")));
        journal.write(Entry.inbound(part("c", 3, "+33612345678", 8, 2, 2, "c")));
        assertTrue(journal.state.inbound.isEmpty());
        journal.write(Entry.inbound(part("d", 4, "+33612345678", 7, 2, 2, "d")));
        assertEquals("ad", journal.state.inbound.get("a").text());
    }
}
