/**
 * Telling clients: what each state change or handset message tells whom ({@link smppgw.notify.Notices}, a pure rule of the
 * projection) and the webhook sender ({@link smppgw.notify.Webhooks}, reads notifications from the store).
 */
package smppgw.notify;
