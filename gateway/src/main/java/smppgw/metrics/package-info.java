/**
 * Prometheus metrics with stable names and help. Imports nothing of the gateway.
 */
package smppgw.metrics;
