package smppgw.store;

/**
 * The store cannot take a write now: closed, failed, catching up after a write error, its command queue full, or
 * (as {@link DiskFullException}) the data directory out of space. Transient by nature: intake answers 503
 * ({@link #code()}), receipts and handset messages are answered ESME_RX_T_APPN so the SMSC sends them again.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The error code intake answers with: {@code store_unavailable}, or {@code disk_full}. */
    public String code() {
        return "store_unavailable";
    }
}
