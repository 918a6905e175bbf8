/**
 * The {@code smppgw} command line (picocli): run, sim, check-config, status, pause, resume, drain, reload, report, purge.
 * May import everything it starts or asks (daemon, config, the admin API over HTTP).
 */
package smppgw.cli;
