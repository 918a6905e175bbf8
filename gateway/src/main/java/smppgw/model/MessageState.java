package smppgw.model;

import java.util.List;

/** Where a message is. Derived from its events, never stored on its own. */
public enum MessageState {
    ACCEPTED(false),
    SCHEDULED(false),
    SUBMITTED(false),
    DELIVERED(true),
    /** The recipient replied, clicked a tracking link or redeemed a code: delivered, and read. */
    READ(true),
    UNDELIVERED(true),
    EXPIRED(true),
    REJECTED(true),
    FAILED(true),
    /** Cancelled by its client before it was sent ({@code DELETE /v1/messages/{id}}, a campaign's cancel): never sent. */
    CANCELLED(true);

    private final boolean isFinal;

    MessageState(boolean isFinal) {
        this.isFinal = isFinal;
    }

    public boolean isFinal() {
        return isFinal;
    }

    /** Still waiting to be (re)submitted: the dispatcher may send it. */
    public boolean isPending() {
        return this == ACCEPTED || this == SCHEDULED;
    }

    /**
     * The final state a receipt {@code stat} means, or null for an intermediate one (ACCEPTD, ENROUTE)
     * or an unknown word. DELETED and UNKNOWN mean the SMSC gave up: UNDELIVERED.
     */
    public static MessageState ofReceiptStat(String stat) {
        if (stat == null) {
            return null;
        }
        return switch (stat) {
            case "DELIVRD" -> DELIVERED;
            case "UNDELIV", "DELETED", "UNKNOWN" -> UNDELIVERED;
            case "EXPIRED" -> EXPIRED;
            case "REJECTD" -> REJECTED;
            default -> null;
        };
    }

    /**
     * Any READ event makes it READ. Otherwise folds events in order: the first final state wins; intermediate
     * receipts never undo it. A message in
     * several parts is DELIVERED when every part is, UNDELIVERED / EXPIRED / REJECTED / FAILED as soon as
     * any part ends so, SUBMITTED while parts are on their way.
     */
    public static MessageState derive(List<Event> events) {
        for (Event e : events) {
            if (e.type() == EventType.READ) {
                return READ; // a person acted on it: whatever the receipts say, it arrived and was read
            }
        }
        int parts = 1;
        for (Event e : events) {
            if (e.parts() != null) {
                parts = Math.max(parts, e.parts());
            }
        }
        if (parts == 1) {
            return fold(events);
        }
        MessageState whole = fold(events.stream().filter(e -> e.part() == null).toList()); // ACCEPTED, EXPIRED before send
        if (whole.isFinal) {
            return whole;
        }
        boolean allDelivered = true;
        boolean anySubmitted = false;
        MessageState failure = null;
        long failedAt = Long.MAX_VALUE;
        for (int p = 1; p <= parts; p++) {
            int part = p;
            List<Event> mine = events.stream().filter(e -> e.part() != null && e.part() == part).toList();
            MessageState s = fold(mine);
            if (s.isFinal && s != DELIVERED) {
                long at = mine.stream().filter(e -> e.type() == EventType.FAILED || e.type() == EventType.RECEIPT
                        || e.type() == EventType.EXPIRED).mapToLong(Event::at).min().orElse(Long.MAX_VALUE);
                if (failure == null || at < failedAt) {
                    failure = s;
                    failedAt = at;
                }
            }
            allDelivered &= s == DELIVERED;
            anySubmitted |= s == SUBMITTED || s == DELIVERED;
        }
        if (failure != null) {
            return failure;
        }
        return allDelivered ? DELIVERED : anySubmitted ? SUBMITTED : ACCEPTED;
    }

    /**
     * What the carrier's events say, whatever read signals came: DELIVERED only on delivery receipts (every part), the
     * failures as they are, SUBMITTED while no final receipt came.
     */
    public static MessageState carrier(List<Event> events) {
        return derive(events.stream().filter(e -> e.type() != EventType.READ).toList());
    }

    /** Whether the carrier never took the message: FAILED at submit, REJECTED, or EXPIRED before it was ever submitted. */
    public static boolean neverTaken(List<Event> events) {
        MessageState c = carrier(events);
        return c == FAILED || c == REJECTED || (c == EXPIRED && events.stream().noneMatch(e -> e.type() == EventType.SUBMITTED));
    }

    private static MessageState fold(List<Event> events) {
        MessageState s = null;
        for (Event e : events) {
            if (s != null && s.isFinal) {
                break;
            }
            s = switch (e.type()) {
                case ACCEPTED, RETRY -> s == null ? ACCEPTED : s;
                case SUBMITTED -> SUBMITTED;
                case FAILED -> FAILED;
                case EXPIRED -> EXPIRED;
                case RECEIPT -> {
                    MessageState r = ofReceiptStat(e.stat());
                    yield r != null ? r : SUBMITTED;
                }
                case SCHEDULED -> SCHEDULED;
                case RELEASED -> ACCEPTED;
                case CANCELLED -> CANCELLED;
                case HELD, RESUMED -> SCHEDULED;
                case NO_RECEIPT, READ, SIGNAL, OPTED_OUT, CONVERSION -> s;
            };
        }
        return s == null ? ACCEPTED : s;
    }
}
