package smppgw.model;

/**
 * What a client set for one of its campaigns, applied to each message that names it and does not say otherwise.
 *
 * @param client     the client it belongs to ("" for the unauthenticated demo API): campaign names are per client
 * @param campaign   the campaign
 * @param trackLinks every URL in its messages' texts becomes a tracking link, unless a message sets {@code track_links}
 * @param at         epoch ms it was set
 */
public record CampaignSettings(String client, String campaign, boolean trackLinks, long at) {
}
