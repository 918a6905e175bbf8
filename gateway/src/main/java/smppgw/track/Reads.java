package smppgw.track;

import java.util.function.Consumer;

import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.notify.Notices;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * Read signals on a message: the first one makes it READ (and is observed for the metrics); later ones are kept as
 * events. A signal on a message the carrier never took (FAILED at submit, REJECTED, EXPIRED before it was sent) cannot
 * be a person reading it: it is kept as an {@code unattributed} SIGNAL. One on a message whose receipt said UNDELIVERED
 * or EXPIRED is a READ noted {@code read_after_failed_receipt}: the carrier's receipt was wrong.
 */
public final class Reads {
    private final Notices notices;

    public Reads(Notices notices) {
        this.notices = notices;
    }

    public void read(Message m, Event signal, long index, StateView view, Consumer<Change> out) {
        java.util.List<Event> events = view.events(m.id());
        if (smppgw.model.MessageState.neverTaken(events)) {
            out.accept(new Change.AddEvent(m.id(), m.operator(), signal.unattributed(), null));
            return;
        }
        smppgw.model.MessageState carrier = smppgw.model.MessageState.carrier(events);
        Event read = carrier == smppgw.model.MessageState.UNDELIVERED || carrier == smppgw.model.MessageState.EXPIRED
                ? signal.afterFailedReceipt() : signal;
        boolean first = events.stream().noneMatch(x -> x.type() == EventType.READ);
        notices.onEvent(m.id(), read, index, view, out);
        out.accept(new Change.AddEvent(m.id(), m.operator(), read, null));
        if (first) {
            out.accept(new Change.FirstRead(m, read.via(), Math.max(0, read.at() - m.acceptedAt())));
            long sent = m.sendAt() != null ? m.sendAt() : m.acceptedAt();
            int hour = (int) Math.floorMod(sent / 3_600_000L, 24L);
            for (String key : smppgw.model.ReadProfile.keys(m)) {
                out.accept(new Change.AddReadProfile(key, hour, Math.max(0, read.at() - sent), read.at()));
            }
        }
    }
}
