package smppgw.testing;

import java.util.Collection;

import smppgw.daemon.Gateway;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;

/** What a running gateway's store holds, for assertions. */
public final class Stored {
    private Stored() {
    }

    public static MessageState state(Gateway gw, String id) {
        return gw.store().find(id).map(MessageView::state).orElse(null);
    }

    /** When the last receipt of these messages arrived (epoch ms), 0 if none did. */
    public static long lastReceiptAt(Gateway gw, Collection<Message> messages) {
        long last = 0;
        for (Message m : messages) {
            for (var e : gw.store().find(m.id()).orElseThrow().events()) {
                if (e.type() == EventType.RECEIPT) {
                    last = Math.max(last, e.at());
                }
            }
        }
        return last;
    }
}
