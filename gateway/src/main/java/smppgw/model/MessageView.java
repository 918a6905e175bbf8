package smppgw.model;

import java.util.List;

/** A message with its history and the state derived from it. */
public record MessageView(Message message, List<Event> events, MessageState state) {
    public static MessageView of(Message message, List<Event> events) {
        return new MessageView(message, List.copyOf(events), MessageState.derive(events));
    }

    /** When it is (or was) to be released: the last time it was moved to, else its own {@code send_at}; null if never scheduled. */
    public Long sendAt() {
        return scheduledFor(message, events);
    }

    /** See {@link #sendAt()}. */
    public static Long scheduledFor(Message m, List<Event> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            if (e.type() == EventType.SCHEDULED && e.until() != null) {
                return e.until();
            }
        }
        return m.sendAt();
    }

    /** How many parts the message travels in (1 until its first submit says otherwise). */
    public int parts() {
        return events.stream().filter(e -> e.parts() != null).mapToInt(Event::parts).max().orElse(1);
    }

    /** The state of one part of a concatenated message. */
    public MessageState partState(int part) {
        return MessageState.derive(events.stream().filter(e -> e.part() == null || e.part() == part)
                .map(e -> new Event(e.type(), e.at(), e.attempt(), e.smscId(), e.bind(), e.status(), e.stat(), e.err(), e.reason()))
                .toList());
    }

    public List<String> smscIds() {
        return events.stream().filter(e -> e.type() == EventType.SUBMITTED).map(Event::smscId).distinct().toList();
    }
}
