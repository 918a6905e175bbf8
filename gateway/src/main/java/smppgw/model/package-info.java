/**
 * The values everything talks about: messages, events, states, receipts, handset messages, opt-outs, ids, numbers.
 * Imports nothing of the gateway.
 */
package smppgw.model;
