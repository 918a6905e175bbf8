/**
 * The integrators' ways in, and what both of them share: {@link smppgw.api.ConnectionGuard} caps a listener's connections.
 * May import: intake, model, store (its interface), config, metrics. Never the SMSC client ({@code smpp}).
 */
package smppgw.api;
