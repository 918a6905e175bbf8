package smppgw.model;

/** What happened to a message. The journal keeps every one; {@link MessageState} is derived from them. */
public enum EventType {
    ACCEPTED,
    /** submit_sm_resp with status 0 and the SMSC's message id. */
    SUBMITTED,
    /** A transient failure (throttled, timeout, lost bind...): the message will be sent again. */
    RETRY,
    /** A permanent failure, or retries exhausted: the message will not be sent. */
    FAILED,
    /** Its validity passed before the SMSC accepted it: not sent any more. */
    EXPIRED,
    /** A delivery receipt matched to the message (final or intermediate stat). */
    RECEIPT,
    /** No final receipt arrived within the receipt window; the correlation entry is gone. */
    NO_RECEIPT,
    /** Held until {@code reason}'s time: quiet hours for its class in the recipient's time zone, or its send_at. */
    SCHEDULED,
    /** Its time came: queued to be sent. */
    RELEASED,
    /** The recipient did something only a reader does ({@code via}: reply, click, code): READ. */
    READ,
    /**
     * A read signal that does not count ({@code note}): a machine's ({@code human: false}: an HTTP library, a scanner, a
     * link-preview fetcher), or one on a message the carrier never took ({@code unattributed}: FAILED, REJECTED, EXPIRED
     * before it was sent). Kept for the record and counted apart in reports; never a state change.
     */
    SIGNAL,
    /**
     * Kept by retention when it purges the recipient's number: the recipient had opted out at {@code at}, after this
     * message (so campaign reports keep counting it). Not a state change.
     */
    OPTED_OUT,
    /**
     * The recipient converted (bought, signed up) as the client reported it ({@code POST /v1/conversions}, {@code via}
     * {@code api}; or with the message's promo code, {@code via} {@code code}), with its {@code value}. Not a state change.
     */
    CONVERSION,
    /** Its client cancelled it while it was still scheduled: CANCELLED, never sent ({@code reason}: who asked). */
    CANCELLED,
    /** Its campaign was paused while it was scheduled: not released until RESUMED (still SCHEDULED). */
    HELD,
    /** Its campaign was resumed: scheduled again for its time (at once if that passed during the pause). */
    RESUMED
}
