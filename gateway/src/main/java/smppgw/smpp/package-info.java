/**
 * The SMPP client side: binds to carrier SMSCs (cloudhopper on Netty), windows, keepalive, rebinds, late answers, receipt
 * parsing, submit_sm building. Imports protocol, text, config, model. Never the integrator APIs ({@code api}).
 */
package smppgw.smpp;
