package smppgw.track;

import org.junit.jupiter.api.Test;

import smppgw.journal.Entry;
import smppgw.journal.Replayer;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Redemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redeeming promo codes, on an in-memory state. */
class PromoCodesTest {
    private final Replayer journal = new Replayer();

    private PromoCodes.Decision redeem(String code, String client, long now) {
        PromoCodes.Decision d = PromoCodes.redeem(code, client, journal.state, now);
        d.entry().ifPresent(journal::write);
        return d;
    }

    @Test
    void aCodeIsRedeemedOnceByItsOwnClientOnly() {
        journal.write(Entry.accepted(new Message("m", 0, "op", "acme", null, "ACME", "+33612345678", "code K7P2", null, null, null, null, null,
                "K7P2", null, null, null)));
        assertEquals(Redemption.Outcome.UNKNOWN, redeem("ZZZZ", "acme", 10).answer().outcome());
        assertEquals(Redemption.Outcome.UNKNOWN, redeem("K7P2", "globex", 10).answer().outcome(), "another client's code is unknown to it");
        PromoCodes.Decision first = redeem("K7P2", "acme", 20);
        assertEquals(Redemption.Outcome.REDEEMED, first.answer().outcome());
        assertEquals(MessageState.READ, MessageState.derive(journal.state.events("m")));
        PromoCodes.Decision again = redeem("K7P2", null, 30);
        assertEquals(Redemption.Outcome.ALREADY, again.answer().outcome());
        assertEquals(20L, again.answer().redeemedAt(), "when it was redeemed");
        assertTrue(again.entry().isEmpty(), "nothing journaled");
    }
}
