/**
 * Receipts and handset messages: from the binds into the store ({@link smppgw.receipt.ReceiptRecorder}), and the rules
 * that put a receipt on its part ({@link smppgw.receipt.Correlation}), join concatenated handset messages
 * ({@link smppgw.receipt.MoAssembly}) and end the wait for receipts ({@link smppgw.receipt.ReceiptWindow}); the rules are
 * pure (model, state, notify's Notices, journal's Entry).
 */
package smppgw.receipt;
