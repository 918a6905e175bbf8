package smppgw.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Consent;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.OptOut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who a keyword speaks to, and what changes do to the lists, on an in-memory state. */
class OptOutsTest {
    private final Replayer journal = new Replayer(Set.of(), Map.of("36111", "acme"), Map.of(), 48 * 3_600_000L);
    private long at = 1_000;

    private void sent(String client, String from, String to) {
        journal.write(Entry.accepted(new Message("m" + (++at), at, "op", client, null, from, to, "hi", null, null, null, null, null, null,
                null, null, null)));
    }

    private OptOut says(String from, String to, String text) {
        return journal.receive(new Inbound("mo" + (++at), at, "op", "op-0", from, to, text)).optOut();
    }

    private Consent list(String client, String number) {
        return journal.state.consent(client, number);
    }

    @Test
    void aKeywordSpeaksToTheOwnerOfTheNumberElseToWhoeverLastSentFromItElseToTheGateway() {
        assertEquals(List.of("acme"), says("+33600000001", "+36111", "STOP").scope(), "an mo-number of acme ('+' or not)");
        sent("globex", "+33700000001", "+33600000002");
        sent("initech", "+33700000002", "+33600000002");
        assertEquals(List.of("globex"), says("33600000002", "33700000001", "stop").scope(), "the client that sent from that number");
        assertNull(says("+33600000003", "33700000001", "STOP").scope(), "nobody sent to this handset from it: the gateway's list");
        assertTrue(list(null, "+33600000003").optedOut());
        assertFalse(journal.state.consent("globex", "+33600000003") != null);
    }

    @Test
    void onlyTheWholeMessageOrAKeywordNamingTheSenderCounts() {
        assertNull(says("+33600000001", "36111", "Cancel my appointment please"));
        assertNull(says("+33600000001", "36111", "stop it, it is too expensive"));
        assertEquals("ARRET", says("+33600000001", "36111", "Arrêt 36111").detail());
        assertEquals("STOP", says("+33600000002", "36111", "STOP acme").detail());
        assertNull(says("+33600000003", "36111", "STOP globex"));
    }

    @Test
    void aConcatenatedKeywordIsDecidedWhenItsLastPartIsInWhateverTheOrder() {
        Inbound p2 = new Inbound("a", 10, "op", "op-0", "+33600000001", "36111", "OP", 9, 2, 2);
        Inbound p1 = new Inbound("b", 11, "op", "op-0", "+33600000001", "36111", "ST", 9, 2, 1);
        assertNull(journal.receive(p2).optOut());
        OptOut o = journal.receive(p1).optOut();
        assertEquals("STOP", o.detail());
        assertTrue(list("acme", "+33600000001").optedOut());
        assertEquals("STOP", journal.state.inbound.get("b").optOut().detail(), "the joined message keeps what it asked");
    }

    @Test
    void theConsumersStartLiftsItsOwnStopButNotWhatTheClientDecided() {
        journal.write(Entry.optOut(new OptOut("+33600000001", true, 1, "api", "acme", null, List.of("acme"), null)));
        says("+33600000001", "36111", "START");
        assertTrue(list("acme", "+33600000001").optedOut(), "the client's own entry stays");
        assertEquals(2, list("acme", "+33600000001").history().size(), "the START is in its history");

        says("+33600000002", "36111", "STOP");
        says("+33600000002", "36111", "START");
        assertFalse(list("acme", "+33600000002").optedOut());

        journal.write(Entry.optOut(new OptOut("+33600000003", true, 1, "api", "acme", null, List.of("acme"), null)));
        says("+33600000003", "36111", "STOP");
        Consent c = list("acme", "+33600000003");
        assertEquals("mo", c.origin(), "the consumer's STOP makes the entry the consumer's");
        assertEquals(List.of("36111"), c.senders());
        assertTrue(c.refuses(false, "+36111", false), "nothing of any class from the number it sent STOP to");
        assertFalse(c.refuses(false, "ACME", false), "transactional from another sender follows block-transactional");
        assertTrue(c.refuses(false, "ACME", true));
    }

    @Test
    void recordsOfTheSingleListVersionsGoWhereTheyMostLikelyBelong() {
        journal.write(Entry.optOut(new OptOut("+33600000001", true, 1, "api", "acme", null)));
        journal.write(Entry.optOut(new OptOut("+33600000002", true, 1, "api", "-", null)));
        journal.write(Entry.inbound(new Inbound("x", 2, "op", "op-0", "+33600000003", "36111", "STOP")
                .withOptOut(new OptOut("+33600000003", true, 2, "mo", "STOP", "36111"))));
        assertTrue(list("acme", "+33600000001").optedOut());
        assertTrue(list("", "+33600000002").optedOut());
        assertTrue(list(null, "+33600000003").optedOut());
    }
}
