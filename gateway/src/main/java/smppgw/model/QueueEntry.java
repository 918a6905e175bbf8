package smppgw.model;

/**
 * A message read from an operator's queue, at {@code index} in that queue. {@code recovered}: it was
 * already queued when the store opened, so it may have been (partly) sent before a crash; the reader of
 * the queue checks its history before sending it.
 */
public record QueueEntry(long index, Message message, boolean recovered) {
}
