package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened to a message, with when. Fields that do not apply are null.
 *
 * @param at      epoch milliseconds
 * @param attempt submit attempt this event belongs to (1-based)
 * @param smscId  the SMSC's message id, as the SMSC wrote it
 * @param bind    the bind that carried the submit or the receipt
 * @param status  SMPP command_status of a failed submit
 * @param stat    receipt stat (DELIVRD, UNDELIV, ...)
 * @param err     receipt err code
 * @param reason  human-readable detail
 * @param part    which part of a concatenated message (1-based), or null for the whole message
 * @param parts   how many parts the message travels in, or null for one
 * @param via     for READ and SIGNAL: what showed it was read ({@code reply}, {@code click}, {@code code}); for a RECEIPT
 *                that query_sm found rather than a receipt: {@code query}
 * @param human   false on a SIGNAL a machine made (a link fetched by an HTTP library, a scanner, a preview fetcher)
 * @param note    on a SIGNAL: {@code unattributed} (the carrier never took the message) or {@code machine:<class>}
 *                ({@link smppgw.track.UserAgents}); on a READ: {@code read_after_failed_receipt} (the carrier said it
 *                failed: its receipt was wrong)
 * @param value   on a CONVERSION: what it was worth (in the client's unit, e.g. an order's amount), or null
 * @param until   on a SCHEDULED: when the message is to be released (epoch milliseconds); null in journals written before
 *                it was recorded (the message's own {@code send_at} then)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status,
                    String stat, String err, String reason, Integer part, Integer parts, String via, Boolean human, String note,
                    Double value, Long until) {

    public Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status, String stat, String err,
                 String reason, Integer part, Integer parts, String via, Boolean human, String note, Double value) {
        this(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, human, note, value, null);
    }

    public Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status, String stat, String err,
                 String reason, Integer part, Integer parts, String via, Boolean human, String note) {
        this(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, human, note, null);
    }

    /** The recipient converted ({@code via}: {@code api} or {@code code}), worth {@code value} (null: not given). */
    public static Event conversion(long at, String via, Double value, String detail) {
        return new Event(EventType.CONVERSION, at, null, null, null, null, null, null, detail, null, null, via, null, null, value);
    }

    public Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status, String stat, String err,
                 String reason, Integer part, Integer parts, String via) {
        this(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, null, null);
    }

    public Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status, String stat, String err,
                 String reason, Integer part, Integer parts) {
        this(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, null);
    }

    public Event(EventType type, long at, Integer attempt, String smscId, String bind, Integer status, String stat, String err,
                 String reason) {
        this(type, at, attempt, smscId, bind, status, stat, err, reason, null, null);
    }

    /** The same event, about part {@code part} of {@code parts} (unchanged for a single-part message). */
    public Event ofPart(int part, int parts) {
        return parts <= 1 ? this : new Event(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, human, note, value, until);
    }

    public static Event accepted(long at) {
        return new Event(EventType.ACCEPTED, at, null, null, null, null, null, null, null);
    }

    public static Event submitted(long at, int attempt, String smscId, String bind) {
        return new Event(EventType.SUBMITTED, at, attempt, smscId, bind, null, null, null, null);
    }

    public static Event retry(long at, int attempt, Integer status, String reason) {
        return new Event(EventType.RETRY, at, attempt, null, null, status, null, null, reason);
    }

    public static Event failed(long at, int attempt, Integer status, String reason) {
        return new Event(EventType.FAILED, at, attempt, null, null, status, null, null, reason);
    }

    public static Event expired(long at, int attempt, String reason) {
        return new Event(EventType.EXPIRED, at, attempt, null, null, null, null, null, reason);
    }

    public static Event receipt(long at, String smscId, String bind, String stat, String err) {
        return new Event(EventType.RECEIPT, at, null, smscId, bind, null, stat, err, null);
    }

    /** What query_sm found: a final state for a part whose receipt never came, recorded like a receipt ({@code via: query}). */
    public static Event queried(long at, String smscId, String bind, String stat, String err) {
        return new Event(EventType.RECEIPT, at, null, smscId, bind, null, stat, err, null, null, null, "query");
    }

    public static Event scheduled(long at, long until) {
        return scheduled(at, until, "until " + java.time.Instant.ofEpochMilli(until));
    }

    /** To be released at {@code until}, for {@code reason}. */
    public static Event scheduled(long at, long until, String reason) {
        return new Event(EventType.SCHEDULED, at, null, null, null, null, null, null, reason, null, null, null, null, null, null, until);
    }

    public static Event held(long at, String reason) {
        return new Event(EventType.HELD, at, null, null, null, null, null, null, reason);
    }

    public static Event resumed(long at, String reason) {
        return new Event(EventType.RESUMED, at, null, null, null, null, null, null, reason);
    }

    public static Event cancelled(long at, String reason) {
        return new Event(EventType.CANCELLED, at, null, null, null, null, null, null, reason);
    }

    public static Event released(long at) {
        return new Event(EventType.RELEASED, at, null, null, null, null, null, null, null);
    }

    /** Read, shown by {@code via}; {@code detail}: the reply's text, the link, the code. */
    public static Event read(long at, String via, String detail) {
        return new Event(EventType.READ, at, null, null, null, null, null, null, detail, null, null, via);
    }

    /** The recipient opted out at {@code at} (recorded by retention when it purges the number). */
    public static Event optedOut(long at) {
        return new Event(EventType.OPTED_OUT, at, null, null, null, null, null, null, null);
    }

    /** The same event without its free text (a reply's words, a clicked link): what retention keeps. */
    public Event withoutReason() {
        return new Event(type, at, attempt, smscId, bind, status, stat, err, null, part, parts, via, human, note);
    }

    /** A click a machine made ({@code kind}: its class in {@link smppgw.track.UserAgents}): kept, never READ. */
    public static Event machineClick(long at, String url, String kind) {
        return new Event(EventType.SIGNAL, at, null, null, null, null, null, null, url, null, null, "click", false, "machine:" + kind);
    }

    /** This read signal, on a message the carrier never took: kept as a SIGNAL, never READ. */
    public Event unattributed() {
        return new Event(EventType.SIGNAL, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, human, "unattributed");
    }

    /** This READ, on a message whose receipt said it failed: the person read it, the carrier's receipt was wrong. */
    public Event afterFailedReceipt() {
        return new Event(type, at, attempt, smscId, bind, status, stat, err, reason, part, parts, via, human, "read_after_failed_receipt");
    }

    public static Event noReceipt(long at, String reason) {
        return new Event(EventType.NO_RECEIPT, at, null, null, null, null, null, null, reason);
    }
}
