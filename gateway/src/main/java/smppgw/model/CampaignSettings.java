package smppgw.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What a client set for one of its campaigns ({@code PUT /v1/campaigns/{id}}): defaults for each message that names it,
 * and, for recipient uploads, the sender, class, variants and follow-up.
 *
 * @param client      the client it belongs to ("" for the unauthenticated demo API): campaign names are per client
 * @param campaign    the campaign
 * @param trackLinks  every URL in its messages' texts becomes a tracking link, unless a message sets {@code track_links}
 * @param at          epoch ms it was set
 * @param from        the sender of uploaded recipients' messages, or null
 * @param messageClass {@code promotional}, {@code conversational} or null (transactional)
 * @param variants    the texts recipients are drawn among by weight, or null
 * @param maxSegments an upload refuses recipients whose text would be longer, or null for no limit
 * @param startAt     epoch ms before which uploaded recipients' messages are not sent, or null for at once
 * @param spreadMs    an upload's messages paced evenly over this long from the start, or null
 * @param followUp    the follow-up to recipients who did not act, or null
 * @param cancelledAt epoch ms it was cancelled (no more uploads nor follow-ups), or null
 * @param pausedAt    epoch ms it was paused (its scheduled messages held, no uploads nor follow-ups until resumed), or null
 * @param sendTime    {@code best}: each recipient at the hour they read soonest; null: {@code fixed}
 */
public record CampaignSettings(String client, String campaign, boolean trackLinks, long at,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String from,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String messageClass,
                               @JsonInclude(JsonInclude.Include.NON_NULL) List<VariantSpec> variants,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxSegments,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long startAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long spreadMs,
                               @JsonInclude(JsonInclude.Include.NON_NULL) FollowUp followUp,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long cancelledAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Long pausedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String sendTime,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Boolean draft) {

    public CampaignSettings(String client, String campaign, boolean trackLinks, long at, String from, String messageClass,
                            List<VariantSpec> variants, Integer maxSegments, Long startAt, Long spreadMs, FollowUp followUp,
                            Long cancelledAt, Long pausedAt, String sendTime) {
        this(client, campaign, trackLinks, at, from, messageClass, variants, maxSegments, startAt, spreadMs, followUp, cancelledAt,
                pausedAt, sendTime, null);
    }

    /** A variant: its name, its template text, its weight. */
    public record VariantSpec(String name, String text, double weight) {
    }

    /**
     * Sent {@code afterMs} past the first message's delivery to whom it did not reach with {@code unless}: {@code read}
     * (no READ by then) or {@code converted} (no promo-code redemption by then); never to one who opted out meanwhile.
     */
    public record FollowUp(long afterMs, String unless, String text) {
    }

    /** Link tracking only (what campaigns were before recipient uploads). */
    public CampaignSettings(String client, String campaign, boolean trackLinks, long at) {
        this(client, campaign, trackLinks, at, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings, cancelled at {@code when}. */
    public CampaignSettings cancelled(long when) {
        return new CampaignSettings(client, campaign, trackLinks, when, from, messageClass, variants, maxSegments, startAt, spreadMs, followUp, when,
                pausedAt, sendTime, draft);
    }

    /** The same settings, paused at {@code when} (or resumed: null). */
    public CampaignSettings paused(long now, Long when) {
        return new CampaignSettings(client, campaign, trackLinks, now, from, messageClass, variants, maxSegments, startAt, spreadMs, followUp,
                cancelledAt, when, sendTime, draft);
    }

    /** The same settings as a draft ({@code true}: uploads are kept, held, until it is started) or not ({@code false}). */
    public CampaignSettings draft(boolean d) {
        return new CampaignSettings(client, campaign, trackLinks, at, from, messageClass, variants, maxSegments, startAt, spreadMs, followUp,
                cancelledAt, pausedAt, sendTime, d ? Boolean.TRUE : null);
    }

    /** Started at {@code now}: no longer a draft, {@code start_at} now. */
    public CampaignSettings started(long now) {
        return new CampaignSettings(client, campaign, trackLinks, now, from, messageClass, variants, maxSegments, now, spreadMs, followUp,
                cancelledAt, pausedAt, sendTime, null);
    }

    /** Whether it is a draft: its messages wait, held, for {@code POST /v1/campaigns/{id}/start}. */
    public boolean isDraft() {
        return Boolean.TRUE.equals(draft);
    }

    public boolean bestSendTime() {
        return "best".equals(sendTime);
    }

    /** Whether recipients can be uploaded: a sender and at least one variant. */
    public boolean takesRecipients() {
        return from != null && variants != null && !variants.isEmpty();
    }
}
