package smppgw.store;

/** A message read from an operator's queue, at {@code index} in that queue. */
public record QueueEntry(long index, Message message) {
}
