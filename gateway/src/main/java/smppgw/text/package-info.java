/**
 * GSM 03.38 and UCS-2: encoding, segments, UDH. Imports nothing of the gateway.
 */
package smppgw.text;
