/**
 * The running gateway: starts the parts in dependency order, stops them in reverse, the disk guard, health and status.
 * The one place that knows every part.
 */
package smppgw.daemon;
