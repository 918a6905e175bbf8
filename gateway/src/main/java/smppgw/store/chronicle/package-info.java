/**
 * Persistence only: the journal and queues on Chronicle Queue (with disk blocks reserved before every memory-mapped
 * write), the state on RocksDB behind {@link smppgw.journal.State} (key and value layouts in one place: StateDb, StateBatch,
 * Correlation, EntryCodec), retention's file deletion and compaction. No business rule lives here.
 */
package smppgw.store.chronicle;
