package smppgw.intake;

import java.util.random.RandomGenerator;

import smppgw.model.Ids;
import smppgw.model.Message;
import smppgw.model.NewMessage;
import smppgw.model.Promo;
import smppgw.policy.FrequencyCap;
import smppgw.state.StateView;
import smppgw.track.PromoCodes;

/**
 * What becomes of a message offered for acceptance, decided on the journal thread: the message a client_ref already
 * names, a refusal (over the frequency cap), or the message as accepted, with its id, its promo code drawn and its
 * send time (a {@code send_at}, or a deferral under the cap). Time and randomness come in; what they gave is in the
 * accepted message, so replaying the journal gives the same.
 */
public final class AcceptRule {
    private AcceptRule() {
    }

    public sealed interface Outcome {
    }

    /** The same client_ref again: the message it names. */
    public record Duplicate(String id) implements Outcome {
    }

    public record Refused(String reason) implements Outcome {
    }

    /** The client_ref names a message with another destination, sender or text: nothing is stored, the client is told which. */
    public record Conflict(String existingId) implements Outcome {
    }

    public record Accepted(Message message) implements Outcome {
    }

    /** What the core of a client_ref's shard does with a reservation: journal it or not, and its answer ({@link #reserve}). */
    public record Held(boolean journal, String conflict) {
    }

    /**
     * A client_ref asked for another shard's message (docs/cluster.md § Idempotency across recipients), decided by the
     * core of the reference's shard, the one writer of that reference: held when free ({@code journal}: a RESERVED
     * record), nothing to do when already held for the same recipient and message; else {@code conflict}: the id of
     * this shard's message the reference names, or "" when it is held for another shard's other message. A reference
     * given back ({@code released}) is freed only if held for that message.
     */
    public static Held reserve(smppgw.model.RefReservation r, StateView view) {
        String held = view.reservation(r.client(), r.clientRef());
        if (r.released()) {
            return new Held(r.held().equals(held), null);
        }
        String existing = view.byClientRef(r.client(), r.clientRef()); // a message of this shard: its recipient is not r's
        if (existing != null) {
            return new Held(false, existing);
        }
        return held == null ? new Held(true, null) : new Held(false, held.equals(r.held()) ? null : "");
    }

    /** What a reservation keeps of a message besides its recipient: its sender and text, tokens put back, hashed. */
    public static String fingerprint(NewMessage nm) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest((nm.from() + '\u0000' + untokened(nm.text(), nm.links()))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 22);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether an earlier message is what was asked for again: the same destination, sender and text (its promo code and
     * tracking-link tokens, drawn when it was accepted, put back to what they stand for). One whose text retention has
     * purged cannot be compared: it is taken as the same.
     */
    static boolean sameMessage(Message m, NewMessage nm) {
        if (m.text() == null) {
            return true;
        }
        String asked = m.promoCode() == null ? nm.text() : nm.text().replace(Promo.PLACEHOLDER, m.promoCode());
        return java.util.Objects.equals(m.to(), nm.to()) && java.util.Objects.equals(m.from(), nm.from())
                && untokened(m.text(), m.links()).equals(untokened(asked, nm.links()));
    }

    private static String untokened(String text, java.util.Map<String, String> links) {
        String t = text;
        if (links != null) {
            for (java.util.Map.Entry<String, String> l : links.entrySet()) {
                t = t.replace(l.getKey(), "\u0000" + l.getValue());
            }
        }
        return t;
    }

    public static Outcome decide(NewMessage nm, StateView view, long now, Ids ids, RandomGenerator random) {
        if (nm.clientRef() != null) {
            String existing = view.byClientRef(nm.client(), nm.clientRef());
            if (existing != null) {
                Message m = view.message(existing);
                return m == null || sameMessage(m, nm) ? new Duplicate(existing) : new Conflict(existing);
            }
            String held = ids.shard() < 0 ? null : view.reservation(nm.client(), nm.clientRef()); // a sharded core: held for another shard's message?
            if (held != null && !held.equals(nm.to() + '\u0000' + fingerprint(nm))) {
                return new Conflict(null);
            }
        }
        Long sendAt = nm.sendAt() != null && nm.sendAt() > now ? nm.sendAt() : null;
        if (nm.cap() != null) {
            long at = FrequencyCap.time(nm.cap(), nm.to(), sendAt != null ? sendAt : now, view);
            if (at < 0) {
                return new Refused("frequency_cap");
            }
            sendAt = at > now ? at : null;
        }
        String code = nm.promo() == null ? null : PromoCodes.draw(nm.promo(), view, random);
        String text = code == null ? nm.text() : nm.text().replace(Promo.PLACEHOLDER, code);
        long validFrom = sendAt != null ? sendAt : now;
        return new Accepted(new Message(ids.next(now), now, nm.operator(), nm.client(), nm.clientRef(), nm.from(), nm.to(), text,
                nm.validityMs() > 0 ? validFrom + nm.validityMs() : null, nm.receipt() > 0 ? nm.receipt() : null, nm.encoding(),
                nm.messageClass(), nm.links() == null || nm.links().isEmpty() ? null : nm.links(), code, nm.campaign(), sendAt, null,
                nm.variant(), nm.followUp(), nm.followUpText()));
    }
}
