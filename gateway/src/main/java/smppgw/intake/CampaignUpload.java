package smppgw.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import smppgw.campaign.Recipients;
import smppgw.campaign.Template;
import smppgw.campaign.Variants;
import smppgw.model.AcceptResult;
import smppgw.model.CampaignSettings;
import smppgw.model.NewMessage;

/**
 * A campaign's recipients becoming its messages: each recipient's variant drawn (by weight, reproducibly), its text
 * personalised, checked against {@code max_segments}, validated as any message (number, opt-outs, quiet hours) and
 * stored in batches; each message's {@code client_ref} is derived from the campaign and the number, so a recipient
 * uploaded twice gets one message. With {@code spread}, the upload's messages are scheduled evenly over it from the
 * campaign's start. Feed it rows with {@link #add}, then {@link #finish}; it waits for each batch to be durable before
 * taking more than a few, so memory stays bounded whatever the list's length.
 */
public final class CampaignUpload {
    private static final int BATCH = 1000;
    private static final int IN_FLIGHT = 4;
    private static final long DRAFT_AHEAD_MS = java.util.concurrent.TimeUnit.DAYS.toMillis(1);
    /** The rejected recipients listed in the answer; beyond, only counted. */
    public static final int LISTED = 1000;

    /** A recipient not taken: its line, its number as written, the field at fault, why. */
    public record Rejected(int line, String to, String field, String error) {
    }

    /** What became of an upload. {@code suppressed}: opted out, or over the frequency cap. */
    public record Outcome(int accepted, List<Rejected> rejected, int rejectedTotal, int duplicates, int suppressed) {
    }

    private final Intake intake;
    private final CampaignSettings campaign;
    private final Variants variants;
    private final long start;
    private final int total;
    private final Template followUp;
    private final String refStem;
    private final java.util.function.Function<String, smppgw.model.ReadProfile> profiles;
    /** The campaign's and the client's best hours, looked up once per upload (-2: not yet). */
    private int campaignHour = -2;
    private int clientHour = -2;
    private final Set<String> seen = new HashSet<>();
    private final List<NewMessage> batch = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private int rejectedTotal;
    private int index;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger suppressed = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param total the number of recipient rows (for {@code spread}: each gets {@code spread / total} of it), 0 if unknown
     * @param now   epoch ms: the start when the campaign has none or it has passed
     */
    public CampaignUpload(Intake intake, CampaignSettings campaign, int total, long now) {
        this(intake, campaign, total, now, key -> null);
    }

    /**
     * @param profiles read profiles by key ({@link smppgw.model.ReadProfile#keys}), for {@code send_time: "best"}: each
     *                 recipient at the next UTC hour (from the campaign's start, within a day) at which their earlier
     *                 messages were read soonest, else the campaign's recipients', else the client's; the start when none
     */
    public CampaignUpload(Intake intake, CampaignSettings campaign, int total, long now,
                          java.util.function.Function<String, smppgw.model.ReadProfile> profiles) {
        this.profiles = profiles;
        this.intake = intake;
        this.campaign = campaign;
        this.variants = new Variants(campaign.variants().stream()
                .map(v -> new Variants.Variant(v.name(), Template.of(v.text()), v.weight())).toList());
        // a draft's messages are held until it starts, then moved to start from then on: only their spacing counts here,
        // and a time a day ahead keeps each one scheduled (held), never due the moment it is accepted
        this.start = (campaign.startAt() == null ? now : Math.max(now, campaign.startAt())) + (campaign.isDraft() ? DRAFT_AHEAD_MS : 0);
        this.followUp = campaign.followUp() == null ? null : Template.of(campaign.followUp().text());
        this.refStem = clientRefStem("cmp", campaign.campaign());
        this.total = total;
    }

    /**
     * What the client_ref of each of a campaign's messages starts with, the number following ({@code prefix} "cmp" for
     * the first message, "fu" for the follow-up): computed once per upload or walk, not per recipient.
     */
    public static String clientRefStem(String prefix, String campaign) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(campaign.getBytes(StandardCharsets.UTF_8));
            return prefix + ":" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 16) + ":";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void add(Recipients.Row row) {
        if (row.error() != null) {
            reject(row.line(), row.to(), null, row.error());
            return;
        }
        String to;
        try {
            to = intake.number("to", row.to());
        } catch (InvalidRequestException e) {
            reject(row.line(), row.to(), "to", e.getMessage());
            return;
        }
        if (!seen.add(to)) {
            duplicates.incrementAndGet();
            return;
        }
        long sendAt = campaign.bestSendTime() ? bestTime(to)
                : campaign.spreadMs() == null || total <= 1 ? start : start + campaign.spreadMs() * index / total;
        index++;
        Variants.Variant v = variants.pick(campaign.campaign(), to);
        String text;
        try {
            text = v.template().render(row.fields());
        } catch (Template.MissingField e) {
            reject(row.line(), row.to(), e.field(), "variant " + v.name() + ": " + e.getMessage());
            return;
        }
        String followUpText = null;
        if (followUp != null) {
            try {
                followUpText = followUp.render(row.fields());
            } catch (Template.MissingField e) {
                reject(row.line(), row.to(), e.field(), "follow_up: " + e.getMessage());
                return;
            }
        }
        NewMessage m;
        try {
            Intake.Request r = new Intake.Request(campaign.client(), to, campaign.from(), text, refStem + to, null)
                    .withCampaign(campaign.campaign()).withClass(campaign.messageClass())
                    .withSchedule(campaign.isDraft() || sendAt > intake.clock().millis() ? Instant.ofEpochMilli(sendAt).toString() : null, null);
            m = intake.validate(r).asVariant(v.name(), false, followUpText);
        } catch (InvalidRequestException e) {
            if (e.code().equals("opted_out")) {
                suppressed.incrementAndGet();
            } else {
                reject(row.line(), row.to(), e.field(), e.getMessage());
            }
            return;
        }
        if (campaign.maxSegments() != null) {
            int parts = intake.plan(m).parts().size();
            if (parts > campaign.maxSegments()) {
                reject(row.line(), row.to(), "text", "variant " + v.name() + " makes " + parts + " segments for this recipient; max_segments is "
                        + campaign.maxSegments());
                return;
            }
        }
        batch.add(m);
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** The first instant from the start, within a day, in the UTC hour this recipient (else campaign, else client) read soonest. */
    private long bestTime(String to) {
        int hour = hour(smppgw.model.ReadProfile.recipientKey(to));
        if (hour < 0) {
            if (campaignHour == -2) {
                campaignHour = hour(smppgw.model.ReadProfile.campaignKey(campaign.client(), campaign.campaign()));
            }
            hour = campaignHour;
        }
        if (hour < 0) {
            if (clientHour == -2) {
                clientHour = hour(smppgw.model.ReadProfile.clientKey(campaign.client()));
            }
            hour = clientHour;
        }
        if (hour < 0) {
            return start;
        }
        long startHour = start / 3_600_000L;
        int startOfDay = (int) Math.floorMod(startHour, 24L);
        long at = (startHour + Math.floorMod(hour - startOfDay, 24)) * 3_600_000L;
        return Math.max(at, start);
    }

    private int hour(String key) {
        smppgw.model.ReadProfile p = profiles.apply(key);
        return p == null ? -1 : p.bestHour();
    }

    private void reject(int line, String to, String field, String error) {
        rejectedTotal++;
        if (rejected.size() < LISTED) {
            rejected.add(new Rejected(line, to, field, error));
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<NewMessage> taken = List.copyOf(batch);
        batch.clear();
        inFlight.add(intake.acceptOwnRefs(taken).thenAccept(results -> count(results)));
        while (inFlight.size() >= IN_FLIGHT) {
            inFlight.remove(0).join(); // bounded: a few batches on their way to disk at once
        }
    }

    private void count(List<AcceptResult> results) {
        for (AcceptResult r : results) {
            if (r.stored()) {
                if (r.duplicate()) {
                    duplicates.incrementAndGet();
                } else {
                    accepted.incrementAndGet();
                }
            } else if ("client_ref_conflict".equals(r.refusal())) {
                duplicates.incrementAndGet(); // the recipient already has this campaign's message (with other personal data)
            } else {
                suppressed.incrementAndGet(); // frequency_cap
            }
        }
    }

    /** Stores what is left and answers once every accepted recipient's message is durable. */
    public Outcome finish() {
        flush();
        inFlight.forEach(CompletableFuture::join);
        return new Outcome(accepted.get(), List.copyOf(rejected), rejectedTotal, duplicates.get(), suppressed.get());
    }
}
