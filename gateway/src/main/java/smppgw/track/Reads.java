package smppgw.track;

import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.notify.Notices;
import smppgw.state.Change;
import smppgw.state.StateView;

/** Read signals on a message: the first one makes it READ (and is observed for the metrics); later ones are kept as events. */
public final class Reads {
    private final Notices notices;

    public Reads(Notices notices) {
        this.notices = notices;
    }

    public void read(Message m, Event read, long index, StateView view, Consumer<Change> out) {
        boolean first = view.events(m.id()).stream().noneMatch(x -> x.type() == EventType.READ);
        notices.onEvent(m.id(), read, index, view, out);
        out.accept(new Change.AddEvent(m.id(), m.operator(), read, null));
        if (first) {
            out.accept(new Change.FirstRead(m, read.via(), Math.max(0, read.at() - m.acceptedAt())));
        }
    }
}
