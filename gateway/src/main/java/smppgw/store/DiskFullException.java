package smppgw.store;

/**
 * The data directory has no room for a write, found before anything was written: nothing of the refused command
 * is stored. Intake answers 503 {@code disk_full}; the store takes writes again by itself once space returns.
 */
public final class DiskFullException extends StoreUnavailableException {
    public DiskFullException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "disk_full";
    }
}
