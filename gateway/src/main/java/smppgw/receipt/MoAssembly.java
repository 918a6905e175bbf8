package smppgw.receipt;

import java.util.List;
import java.util.function.Consumer;

import smppgw.model.Inbound;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Joins the parts of a concatenated handset message: each part is kept (in the state, so a restart loses none) until
 * the last is in; then the message is the first part's id and time with the texts in part order.
 */
public final class MoAssembly {
    private MoAssembly() {
    }

    /** Keeps a part; returns the whole message once every part is in (and forgets the parts), else null. */
    public static Inbound join(Inbound part, byte[] json, StateView view, Consumer<Change> out) {
        String key = part.partsKey();
        out.accept(new Change.PutMoPart(key, part.seq(), part, json));
        List<Inbound> parts = view.moParts(key);
        if (parts.size() < part.parts()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Inbound p : parts) {
            text.append(p.text());
        }
        out.accept(new Change.DeleteMoParts(key, part.parts()));
        return parts.get(0).joined(text.toString());
    }
}
