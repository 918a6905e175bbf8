package smppgw.api.smpp;

import com.cloudhopper.smpp.pdu.SubmitSm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import smppgw.protocol.Concat;

/**
 * Parts of concatenated submits from integrators, held until the last one arrives; their responses wait
 * too, so no part is acknowledged before the whole message is stored.
 */
final class ConcatAssembler {
    record Held(ServerSession session, SubmitSm sm, String text) {
    }

    /** {@code repeats}: parts sent again before the message was complete; answered with the others, same message id. */
    private record Pending(Held[] parts, List<Held> repeats, long firstAt) {
    }

    /** A complete message: its parts in order (for the text), and every submit_sm to answer (the parts and any repeats). */
    record Complete(List<Held> parts, List<Held> toAnswer) {
    }

    private final Map<String, Pending> pending = new HashMap<>();

    /**
     * Adds a part; returns the message once complete, else null. A part sent again keeps the first copy's text and is
     * answered with the rest (the same message id: the integrator sent it twice, the handset gets it once).
     */
    synchronized Complete add(String client, SubmitSm sm, Concat c, Held part, long now) {
        String key = client + '\u0000' + sm.getSourceAddress().getAddress() + '\u0000' + sm.getDestAddress().getAddress()
                + '\u0000' + c.ref() + '\u0000' + c.parts();
        Pending p = pending.computeIfAbsent(key, k -> new Pending(new Held[c.parts()], new ArrayList<>(), now));
        if (p.parts()[c.seq() - 1] != null) {
            p.repeats().add(part);
            return null;
        }
        p.parts()[c.seq() - 1] = part;
        for (Held h : p.parts()) {
            if (h == null) {
                return null;
            }
        }
        pending.remove(key);
        List<Held> all = new ArrayList<>(List.of(p.parts()));
        all.addAll(p.repeats());
        return new Complete(List.of(p.parts()), all);
    }

    /** Parts still incomplete after {@code maxAgeMs}: forgotten and returned, to be answered with an error. */
    synchronized List<Held> expire(long now, long maxAgeMs) {
        List<Held> out = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.firstAt() > maxAgeMs) {
                it.remove();
                for (Held h : p.parts()) {
                    if (h != null) {
                        out.add(h);
                    }
                }
                out.addAll(p.repeats());
            }
        }
        return out;
    }
}
