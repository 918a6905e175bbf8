package smppgw.protocol;

/**
 * SMPP 3.4 command_status values the gateway acts on. A transient status leaves the message to be sent
 * again with back-off; any other non-zero status fails it at once.
 */
public enum CommandStatus {
    OK(0x00, false),
    INVMSGLEN(0x01, false),
    INVCMDLEN(0x02, false),
    INVCMDID(0x03, false),
    INVBNDSTS(0x04, true),
    ALYBND(0x05, false),
    SYSERR(0x08, true),
    INVSRCADR(0x0A, false),
    INVDSTADR(0x0B, false),
    INVMSGID(0x0C, false),
    BINDFAIL(0x0D, false),
    INVPASWD(0x0E, false),
    INVSYSID(0x0F, false),
    MSGQFUL(0x14, true),
    INVSERTYP(0x15, false),
    SUBMITFAIL(0x45, false),
    INVSRCTON(0x48, false),
    INVSRCNPI(0x49, false),
    INVDSTTON(0x50, false),
    INVDSTNPI(0x51, false),
    INVSYSTYP(0x53, false),
    THROTTLED(0x58, true),
    INVSCHED(0x61, false),
    INVEXPIRY(0x62, false),
    RX_T_APPN(0x64, true),
    RX_P_APPN(0x65, false),
    RX_R_APPN(0x66, false),
    INVOPTPARSTREAM(0xC0, false),
    OPTPARNOTALLWD(0xC1, false),
    INVPARLEN(0xC2, false),
    MISSINGOPTPARAM(0xC3, false),
    INVOPTPARAMVAL(0xC4, false),
    DELIVERYFAILURE(0xFE, true),
    UNKNOWNERR(0xFF, false);

    private final int code;
    private final boolean retryable;

    CommandStatus(int code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    public int code() {
        return code;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public static CommandStatus of(int code) {
        for (CommandStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** Transient statuses are retried; unknown vendor-specific codes are permanent. */
    public static boolean isRetryable(int code) {
        CommandStatus s = of(code);
        return s != null && s.retryable;
    }

    /** A stable metric label: {@code ESME_ROK}, {@code ESME_RTHROTTLED}, or {@code 0x00000400} for a vendor-specific status. */
    public static String label(int code) {
        CommandStatus s = of(code);
        return s == null ? String.format("0x%08X", code) : "ESME_R" + s.name();
    }

    /** {@code ESME_RTHROTTLED (0x00000058)}, or the hex code alone for a vendor-specific status. */
    public static String describe(int code) {
        CommandStatus s = of(code);
        String hex = String.format("0x%08X", code);
        return s == null ? hex : "ESME_R" + s.name() + " (" + hex + ")";
    }
}
