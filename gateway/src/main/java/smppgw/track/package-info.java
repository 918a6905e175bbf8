/**
 * Read signals: replies, tracking links, promo codes, the first READ winning. Pure rules: model, state, notify's Notices.
 */
package smppgw.track;
