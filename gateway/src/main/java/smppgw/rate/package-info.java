/**
 * Token buckets. Imports nothing of the gateway.
 */
package smppgw.rate;
