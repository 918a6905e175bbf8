package smppgw.model;

/**
 * A delivery receipt as it came off a bind, before it is matched to a message.
 *
 * @param operator   the operator whose bind received it (SMSC ids are unique per operator only)
 * @param smscId     the id the receipt names, as written
 * @param stat       DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ACCEPTD, ENROUTE
 * @param receivedAt epoch milliseconds
 */
public record Receipt(String operator, String bind, String smscId, String stat, String err, Long submitDate,
                      Long doneDate, long receivedAt) {
}
