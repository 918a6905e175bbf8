/**
 * SMPP protocol helpers both sides share: command statuses, concatenation headers. Imports cloudhopper's PDU types only.
 */
package smppgw.protocol;
