package smppgw.store.chronicle;

/** Journal and queue records left out since start because they could not be read (torn writes): {@code smppgw_journal_unreadable_total}. */
public final class TornRecords {
    private TornRecords() {
    }

    public static long count() {
        return EntryCodec.UNREADABLE.get();
    }
}
