/**
 * Destination prefix to operator. Imports nothing of the gateway.
 */
package smppgw.route;
