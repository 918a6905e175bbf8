package smppgw.intake;

import org.junit.jupiter.api.Test;

import java.util.Random;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Cap;
import smppgw.model.Ids;
import smppgw.model.Message;
import smppgw.model.NewMessage;
import smppgw.model.Promo;
import smppgw.model.RefReservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Accepting a message, on an in-memory state with a fixed clock and seeded randomness. */
class AcceptRuleTest {
    private static final long NOW = 1_800_000_000_000L;
    private final Replayer journal = new Replayer();
    private final Ids ids = new Ids(new Random(1));
    private final Random random = new Random(2);

    private AcceptRule.Outcome decide(NewMessage nm, long now) {
        AcceptRule.Outcome o = AcceptRule.decide(nm, journal.state, now, ids, random);
        if (o instanceof AcceptRule.Accepted a) {
            journal.write(Entry.accepted(a.message()));
        }
        return o;
    }

    private static NewMessage.Builder msg(String to) {
        return NewMessage.of("op", "acme", "ACME", to, "Bonjour");
    }

    @Test
    void aClientRefNamesOneMessagePerClient() {
        Message first = ((AcceptRule.Accepted) decide(msg("+33612345678").clientRef("r1").build(), NOW)).message();
        assertEquals(new AcceptRule.Duplicate(first.id()), decide(msg("+33612345678").clientRef("r1").build(), NOW + 1));
        AcceptRule.Outcome other = decide(NewMessage.of("op", "globex", "ACME", "+33612345678", "x").clientRef("r1").build(), NOW + 2);
        assertNotEquals(first.id(), ((AcceptRule.Accepted) other).message().id(), "the same ref of another client is another message");
    }

    /** A sharded core keeps the client_refs of its shard for other shards' messages: one message per reference, as on one gateway. */
    @Test
    void aShardHoldsItsClientRefsForOtherShardsMessagesOneMessageEach() {
        Ids sharded = new Ids(new Random(1), 0);
        NewMessage forX = msg("+33611111111").clientRef("r9").build();
        RefReservation x = new RefReservation("acme", "r9", forX.to(), AcceptRule.fingerprint(forX), false);
        assertEquals(new AcceptRule.Held(true, null), AcceptRule.reserve(x, journal.state), "free: held, journaled");
        journal.write(Entry.reservation(x));
        assertEquals(new AcceptRule.Held(false, null), AcceptRule.reserve(x, journal.state), "the same message again (a retry): go on");
        NewMessage otherText = NewMessage.of("op", "acme", "ACME", "+33611111111", "Salut").clientRef("r9").build();
        assertEquals(new AcceptRule.Held(false, ""), AcceptRule.reserve(new RefReservation("acme", "r9", forX.to(), AcceptRule.fingerprint(otherText),
                false), journal.state), "another text for the same recipient: refused");
        RefReservation y = new RefReservation("acme", "r9", "+33633333333", AcceptRule.fingerprint(forX), false);
        assertEquals(new AcceptRule.Held(false, ""), AcceptRule.reserve(y, journal.state), "another recipient: refused");
        assertEquals(new AcceptRule.Held(true, null), AcceptRule.reserve(new RefReservation("globex", "r9", "+33633333333", "f", false),
                journal.state), "another client's reference is its own");
        // a message of this shard with the reference, for a recipient of this shard: refused while another shard's holds it
        assertEquals(new AcceptRule.Conflict(null), AcceptRule.decide(msg("+33622222222").clientRef("r9").build(), journal.state, NOW, sharded, random));
        assertInstanceOf(AcceptRule.Accepted.class, AcceptRule.decide(msg("+33622222222").clientRef("r9").build(), journal.state, NOW, ids, random),
                "a gateway that is not sharded has no reservations to look at");
        // given back after its message was refused: freed only by its own message
        assertEquals(new AcceptRule.Held(false, null), AcceptRule.reserve(y.release(), journal.state), "not held for y: nothing to free");
        assertEquals(new AcceptRule.Held(true, null), AcceptRule.reserve(x.release(), journal.state));
        journal.write(Entry.reservation(x.release()));
        assertNull(journal.state.reservation("acme", "r9"));
        Message here = ((AcceptRule.Accepted) AcceptRule.decide(msg("+33622222222").clientRef("r9").build(), journal.state, NOW, sharded, random)).message();
        journal.write(Entry.accepted(here));
        assertEquals(new AcceptRule.Held(false, here.id()), AcceptRule.reserve(x, journal.state), "now a message here names it: refused, with its id");
    }

    @Test
    void aSendAtInTheFutureHoldsTheMessageAndValidityCountsFromThen() {
        Message later = ((AcceptRule.Accepted) decide(msg("+33612345678").sendAt(NOW + 60_000).validityMs(3_600_000).build(), NOW)).message();
        assertEquals(NOW + 60_000, later.sendAt());
        assertEquals(NOW + 60_000 + 3_600_000, later.expiresAt());
        Message past = ((AcceptRule.Accepted) decide(msg("+33612345679").sendAt(NOW - 1).validityMs(3_600_000).build(), NOW)).message();
        assertNull(past.sendAt(), "a send_at already passed sends now");
        assertEquals(NOW + 3_600_000, past.expiresAt());
    }

    @Test
    void overTheCapIsRefusedOrDeferredToWhenItFits() {
        Cap refuse = new Cap(2, 1000, false, t -> t);
        NewMessage promo = msg("+33612345678").messageClass(Message.PROMOTIONAL).cap(refuse).build();
        assertInstanceOf(AcceptRule.Accepted.class, decide(promo, NOW));
        assertInstanceOf(AcceptRule.Accepted.class, decide(promo, NOW + 10));
        assertEquals(new AcceptRule.Refused("frequency_cap"), decide(promo, NOW + 20));
        assertInstanceOf(AcceptRule.Accepted.class, decide(promo, NOW + 1000), "the first has left the period");
        Cap defer = new Cap(2, 1000, true, t -> t + 5); // the send window opens 5 ms after it fits
        Message held = ((AcceptRule.Accepted) decide(msg("+33612345678").messageClass(Message.PROMOTIONAL).cap(defer).build(), NOW + 1001))
                .message();
        assertEquals(NOW + 10 + 1000 + 5, held.sendAt(), "when the second-newest leaves the period, then the window");
    }

    @Test
    void promoCodesAreDrawnUniqueAndPutInTheText() {
        Promo twoLetters = new Promo("AB", 1); // two possible codes: the third message cannot get a fresh one quickly, so only two
        Message a = ((AcceptRule.Accepted) decide(NewMessage.of("op", "acme", "ACME", "+33612345678", "code {promo}").promo(twoLetters).build(), NOW)).message();
        Message b = ((AcceptRule.Accepted) decide(NewMessage.of("op", "acme", "ACME", "+33612345679", "code {promo}").promo(twoLetters).build(), NOW)).message();
        assertNotEquals(a.promoCode(), b.promoCode());
        assertEquals("code " + a.promoCode(), a.text());
    }

    @Test
    void aClientRefForAnotherMessageIsAConflictNamingTheOne() {
        Message first = ((AcceptRule.Accepted) decide(NewMessage.of("op", "acme", "ACME", "+33612345678", "code {promo}")
                .promo(new Promo("ABCDEFGHJK", 6)).links(java.util.Map.of("TOKEN00001", "https://shop.example.com")).clientRef("r9").build(),
                NOW)).message();
        // the same request again: its promo code and link tokens were drawn then, and are not a difference
        assertEquals(new AcceptRule.Duplicate(first.id()), decide(NewMessage.of("op", "acme", "ACME", "+33612345678", "code {promo}")
                .promo(new Promo("ABCDEFGHJK", 6)).links(java.util.Map.of("TOKEN00002", "https://shop.example.com")).clientRef("r9").build(), NOW));
        assertEquals(new AcceptRule.Conflict(first.id()), decide(msg("+33612345679").clientRef("r9").build(), NOW), "another number");
        assertEquals(new AcceptRule.Conflict(first.id()), decide(NewMessage.of("op", "acme", "OTHER", "+33612345678", "code {promo}")
                .promo(new Promo("ABCDEFGHJK", 6)).clientRef("r9").build(), NOW), "another sender");
        assertEquals(new AcceptRule.Conflict(first.id()), decide(NewMessage.of("op", "acme", "ACME", "+33612345678", "autre {promo}")
                .promo(new Promo("ABCDEFGHJK", 6)).clientRef("r9").build(), NOW), "another text");
    }
}
