/** Logging output formats (the JSON encoder for log shippers). */
package smppgw.log;
