/**
 * The HTTP/JSON API on Netty: messages, batch, campaigns, reports, redemptions, tracking links, opt-outs, admin, health, metrics;
 * request and idle timeouts. May import: api, intake, model, store (interface), report, track, policy, config, metrics. Never {@code smpp}.
 */
package smppgw.api.http;
