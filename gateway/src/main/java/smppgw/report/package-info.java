/**
 * Campaign reports from the store's messages. Imports model, store (interface).
 */
package smppgw.report;
