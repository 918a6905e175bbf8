package smppgw.smpp;

/** Why a bind ended. */
public enum CloseReason {
    /** We closed it (shutdown or reconfiguration). */
    EXPLICIT,
    /** The SMSC sent unbind. */
    UNBIND_RECEIVED,
    /** enquire_link got no answer in time. */
    ENQUIRE_LINK_TIMEOUT,
    /** The connection dropped or a read/write failed. */
    IO_ERROR,
    /** The byte stream could not be decoded any more. */
    PROTOCOL_ERROR,
    /** The SMSC refused the bind or did not answer it. */
    BIND_FAILED
}
