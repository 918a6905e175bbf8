/**
 * Compliance rules: opt-out keywords, send windows (quiet hours), time zones, the frequency cap. Pure: model and state only.
 */
package smppgw.policy;
