package smppgw.track;

import java.util.Optional;
import java.util.random.RandomGenerator;

import smppgw.journal.Entry;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.Promo;
import smppgw.model.Redemption;
import smppgw.state.StateView;

/** Promo codes: drawn unique when a message is accepted, redeemed once (the first redemption is READ via code). */
public final class PromoCodes {
    private PromoCodes() {
    }

    /** A code no message has had, {@code length} characters of the promo's alphabet, of the promo's shard. */
    public static String draw(Promo p, StateView view, RandomGenerator random) {
        while (true) {
            char[] c = new char[p.length()];
            for (int i = 0; i < c.length; i++) {
                c[i] = p.alphabet().charAt(random.nextInt(p.alphabet().length()));
            }
            String code = new String(c);
            if ((p.shards() == 1 || smppgw.route.Shards.ofCode(code, p.shards()) == p.shard()) && view.promoCode(code) == null) {
                return code;
            }
        }
    }

    /** What redeeming a code answers, and the READ event to journal when it is the first redemption. */
    public record Decision(Redemption answer, Optional<Entry> entry) {
    }

    /** @param client the client redeeming (null: any, the API has no clients); another client's code is unknown to it */
    public static Decision redeem(String code, String client, StateView view, long now) {
        StateView.PromoCode pc = view.promoCode(code);
        Message m = pc == null ? null : view.message(pc.messageId());
        if (m == null || (client != null && !client.equals(m.client()))) {
            return new Decision(new Redemption(Redemption.Outcome.UNKNOWN, code, null, null), Optional.empty());
        }
        if (pc.redeemedAt() != null) {
            return new Decision(new Redemption(Redemption.Outcome.ALREADY, code, m.id(), pc.redeemedAt()), Optional.empty());
        }
        return new Decision(new Redemption(Redemption.Outcome.REDEEMED, code, m.id(), now),
                Optional.of(Entry.event(m.id(), m.operator(), Event.read(now, "code", code))));
    }
}
