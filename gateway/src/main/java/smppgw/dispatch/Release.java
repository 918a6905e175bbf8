package smppgw.dispatch;

import java.util.ArrayList;
import java.util.List;

import smppgw.journal.Entry;
import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.state.StateView;

/** Scheduled messages whose time has come: a RELEASED event each; the journal thread then queues the message for its operator. */
public final class Release {
    private Release() {
    }

    public static List<Entry> due(long now, StateView view) {
        List<Entry> out = new ArrayList<>();
        for (String id : view.due(now, 10_000)) {
            Message m = view.message(id);
            if (m != null) {
                out.add(Entry.event(id, m.operator(), Event.released(now)));
            }
        }
        return out;
    }
}
