/**
 * The SMSC simulator the default configuration and the tests bind to. Imports protocol, text, config, smpp's async sending.
 */
package smppgw.sim;
