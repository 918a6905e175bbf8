package smppgw.store;

/** The outcome of storing one message: its id, and whether a message with its client_ref already existed. */
public record AcceptResult(String id, boolean duplicate) {
}
