/**
 * The configuration: immutable validated records, YAML loading with every problem at once, what a reload may change.
 * Imports nothing of the gateway but the model's constants.
 */
package smppgw.config;
