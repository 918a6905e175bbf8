/**
 * The journal thread and what it runs: command, decide, append, project, commit ({@link smppgw.journal.JournalThread},
 * {@link smppgw.journal.Commands}), the projection of each record onto the state ({@link smppgw.journal.Projection}, the only
 * thing a replay runs), and the interfaces the store implements ({@link smppgw.journal.Log}, {@link smppgw.journal.State}).
 * Imports the domain rules, model, state, and the store's exceptions; never the store's implementation.
 */
package smppgw.journal;
