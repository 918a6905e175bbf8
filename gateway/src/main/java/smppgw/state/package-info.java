/**
 * What the rules read ({@link smppgw.state.StateView}) and write ({@link smppgw.state.Change}) of the state the journal
 * builds, as values. Imports model only; implemented by the store (and in memory by the tests).
 */
package smppgw.state;
