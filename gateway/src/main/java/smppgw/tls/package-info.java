/** TLS contexts for the listeners and the binds to SMSCs, built from PEM files with Netty's JDK provider and re-read on reload. */
package smppgw.tls;
