/**
 * The SMPP server integrators bind to: sessions, submit_sm into intake, concatenated submits, receipts and handset messages
 * back to them. May import: api, intake, protocol, model, store (interface), config, metrics, text. Never the SMSC client ({@code smpp}).
 */
package smppgw.api.smpp;
