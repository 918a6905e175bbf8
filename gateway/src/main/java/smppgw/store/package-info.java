/**
 * The store's interface for everyone else ({@link smppgw.store.MessageStore}) and its errors. The implementation is in
 * {@code store.chronicle}; nothing outside {@code store..} imports Chronicle, RocksDB or native calls.
 */
package smppgw.store;
