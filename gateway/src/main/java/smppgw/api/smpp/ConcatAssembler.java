package smppgw.api.smpp;

import com.cloudhopper.smpp.pdu.SubmitSm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import smppgw.smpp.InboundListener.Concat;

/**
 * Parts of concatenated submits from integrators, held until the last one arrives; their responses wait
 * too, so no part is acknowledged before the whole message is stored.
 */
final class ConcatAssembler {
    record Held(ServerSession session, SubmitSm sm, String text) {
    }

    private record Pending(Held[] parts, long firstAt) {
    }

    private final Map<String, Pending> pending = new HashMap<>();

    /** Adds a part; returns all parts in order once complete, else null. A repeated part replaces the earlier one. */
    synchronized List<Held> add(String client, SubmitSm sm, Concat c, Held part, long now) {
        String key = client + '\u0000' + sm.getSourceAddress().getAddress() + '\u0000' + sm.getDestAddress().getAddress()
                + '\u0000' + c.ref() + '\u0000' + c.parts();
        Pending p = pending.computeIfAbsent(key, k -> new Pending(new Held[c.parts()], now));
        p.parts()[c.seq() - 1] = part;
        for (Held h : p.parts()) {
            if (h == null) {
                return null;
            }
        }
        pending.remove(key);
        return List.of(p.parts());
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
            }
        }
        return out;
    }
}
