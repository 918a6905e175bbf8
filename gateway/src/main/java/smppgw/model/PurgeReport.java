package smppgw.model;

import java.util.List;

/**
 * What a retention purge removed.
 *
 * @param messages messages that lost their text, numbers and links
 * @param inbound  handset messages deleted
 * @param files    journal and queue files deleted
 * @param stepsMs  time the journal thread spent on it (in steps between batches of commands); file deletion and
 *                 compaction run on their own thread
 */
public record PurgeReport(long messages, long inbound, List<String> files, long stepsMs) {
}
