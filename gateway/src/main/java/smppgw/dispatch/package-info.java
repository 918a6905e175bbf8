/**
 * Operator queues onto the binds: the dispatcher loop (token buckets, adaptive rate, retries with back-off, unknown outcomes
 * after a timeout) and the scheduled-release rule ({@link smppgw.dispatch.Release}, pure). The loop imports smpp, protocol,
 * store (interface), model, metrics; the rule only model, state, journal's Entry.
 */
package smppgw.dispatch;
