/**
 * {@code store.type: kafka} (docs/cluster.md): the journal replicated to Apache Kafka before anything is answered. The
 * only package that talks to Kafka; it sees the journal through {@link smppgw.store.JournalTail} and holds answers back
 * through {@link smppgw.journal.Durability}.
 */
package smppgw.store.kafka;
