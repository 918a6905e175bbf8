package smppgw.model;

/**
 * The outcome of storing one message: its id, and whether a message with its client_ref already existed;
 * or, with {@code refusal} set ({@code frequency_cap}), that it was not stored at all.
 */
public record AcceptResult(String id, boolean duplicate, String refusal) {
    public AcceptResult(String id, boolean duplicate) {
        this(id, duplicate, null);
    }

    public static AcceptResult refused(String reason) {
        return new AcceptResult(null, false, reason);
    }

    public boolean stored() {
        return refusal == null;
    }
}
