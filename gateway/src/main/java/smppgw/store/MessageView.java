package smppgw.store;

import java.util.List;

/** A message with its history and the state derived from it. */
public record MessageView(Message message, List<Event> events, MessageState state) {
    public static MessageView of(Message message, List<Event> events) {
        return new MessageView(message, List.copyOf(events), MessageState.derive(events));
    }

    public List<String> smscIds() {
        return events.stream().filter(e -> e.type() == EventType.SUBMITTED).map(Event::smscId).distinct().toList();
    }
}
