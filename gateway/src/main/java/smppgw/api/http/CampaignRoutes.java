package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import smppgw.campaign.Template;
import smppgw.config.Durations;
import smppgw.intake.InvalidRequestException;
import smppgw.model.CampaignSettings;
import smppgw.store.MessageStore;

/**
 * {@code PUT /v1/campaigns/{id}}: a client's settings for one of its campaigns — {@code track_links} (a default for the
 * messages that name it), and for recipient uploads {@code from}, {@code class}, {@code variants}, {@code max_segments},
 * {@code start_at}, {@code spread}, {@code follow_up}; {@code GET} shows them. A PUT replaces the settings whole.
 * Journaled, so they survive restarts.
 */
final class CampaignRoutes {
    private static final Set<String> FIELDS = Set.of("track_links", "from", "class", "variants", "max_segments", "start_at", "spread",
            "send_time", "follow_up", "draft");
    private static final Set<String> CLASSES = Set.of("transactional", "promotional", "conversational");

    private final MessageStore store;
    private final boolean linksConfigured;

    private final java.time.Clock clock;

    CampaignRoutes(MessageStore store, boolean linksConfigured, java.time.Clock clock) {
        this.clock = clock;
        this.store = store;
        this.linksConfigured = linksConfigured;
    }

    static void checkName(String campaign) {
        if (campaign.isBlank() || campaign.length() > 64) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
    }

    CompletableFuture<AdminRoutes.Answer> handle(FullHttpRequest req, String campaign, String client) {
        checkName(campaign);
        if (req.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(store.campaign(client, campaign)
                    .map(c -> new AdminRoutes.Answer(HttpResponseStatus.OK, json(c, clock.millis())))
                    .orElse(new AdminRoutes.Answer(HttpResponseStatus.NOT_FOUND,
                            Json.error("not_found", "campaign", "campaign " + campaign + " has no settings"))));
        }
        if (!req.method().equals(HttpMethod.PUT)) {
            throw new InvalidRequestException(405, "method_not_allowed", null, req.method() + " is not allowed here (GET, PUT)");
        }
        store.campaign(client, campaign).filter(c -> c.cancelledAt() != null).ifPresent(c -> {
            throw new InvalidRequestException(409, "cancelled", "campaign", "campaign " + campaign + " was cancelled at "
                    + Json.time(c.cancelledAt()) + ": use a new campaign name");
        });
        JsonNode body = MessageRequests.body(req);
        CampaignSettings parsed = parse(body, client, campaign, clock.millis(), linksConfigured);
        CampaignSettings before = store.campaign(client, campaign).orElse(null);
        Boolean draft = MessageRequests.bool(body, "draft", "");
        boolean wasDraft = before != null && before.isDraft();
        if (Boolean.FALSE.equals(draft) && wasDraft) {
            throw new InvalidRequestException(409, "draft", "draft", "campaign " + campaign + " is a draft: POST /v1/campaigns/" + campaign + "/start to start it");
        }
        if (Boolean.TRUE.equals(draft) && !wasDraft && before != null && hasMessages(campaign)) {
            throw new InvalidRequestException(409, "started", "draft", "campaign " + campaign + " already has messages on their way: it cannot become a draft");
        }
        CampaignSettings c = parsed.draft(wasDraft || Boolean.TRUE.equals(draft)); // a PUT does not start a draft
        if (before != null && before.pausedAt() != null) {
            c = c.paused(c.at(), before.pausedAt()); // nor resume a paused one
        }
        CampaignSettings put = c;
        return store.putCampaign(put).thenApply(v -> new AdminRoutes.Answer(HttpResponseStatus.OK, json(put, clock.millis())));
    }

    private boolean hasMessages(String campaign) {
        boolean[] any = {false};
        store.forCampaign(campaign, id -> any[0] = true);
        return any[0];
    }

    /** {@code GET /v1/campaigns}: the client's campaigns with settings, newest change first; {@code client} null: every client's. */
    static ObjectNode list(MessageStore store, String client, long now) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode a = n.putArray("campaigns");
        store.campaigns().stream().filter(c -> client == null || client.equals(c.client()))
                .sorted(java.util.Comparator.comparingLong(CampaignSettings::at).reversed()).forEach(c -> {
                    ObjectNode o = a.addObject();
                    o.put("campaign", c.campaign());
                    if (client == null) {
                        o.put("client", c.client());
                    }
                    o.put("from", c.from());
                    o.put("variants", c.variants() == null ? 0 : c.variants().size());
                    o.put("follow_up", c.followUp() != null);
                    o.put("status", status(c, now));
                    o.put("updated_at", Json.time(c.at()));
                });
        return n;
    }

    /** The settings a PUT body asks for; a 400/422 naming the field at fault. */
    static CampaignSettings parse(JsonNode body, String client, String campaign, long now, boolean linksConfigured) {
        if (body.isEmpty()) {
            throw InvalidRequestException.field("body", "no settings given (expected some of: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw InvalidRequestException.field(f, "unknown field '" + f + "' (expected: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
            }
        });
        Boolean track = MessageRequests.bool(body, "track_links", "");
        if (Boolean.TRUE.equals(track) && !linksConfigured) {
            throw new InvalidRequestException(422, "invalid", "track_links", "track_links needs tracking.base-url in the gateway's configuration");
        }
        String from = text(body, "from");
        if (from != null && (from.isBlank() || from.length() > 20)) {
            throw InvalidRequestException.field("from", "from must be 1 to 20 characters (a number, a short code or a name)");
        }
        String cls = text(body, "class");
        if (cls != null && !CLASSES.contains(cls)) {
            throw InvalidRequestException.field("class", "class must be transactional, promotional or conversational");
        }
        List<CampaignSettings.VariantSpec> variants = variants(body.get("variants"));
        Integer maxSegments = null;
        JsonNode ms = body.get("max_segments");
        if (ms != null && !ms.isNull()) {
            if (!ms.isIntegralNumber() || ms.asInt() < 1 || ms.asInt() > 10) {
                throw InvalidRequestException.field("max_segments", "max_segments must be a whole number from 1 to 10");
            }
            maxSegments = ms.asInt();
        }
        Long startAt = null;
        String start = text(body, "start_at");
        if (start != null) {
            try {
                startAt = OffsetDateTime.parse(start).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw InvalidRequestException.field("start_at", "start_at must be an ISO-8601 time with its offset, e.g. 2026-12-01T12:00:00+01:00");
            }
        }
        Long spread = null;
        String spreadText = text(body, "spread");
        if (spreadText != null) {
            Duration d = Durations.parse(spreadText);
            if (d == null || d.toMillis() < 1000 || d.toDays() > 30) {
                throw InvalidRequestException.field("spread", "spread must be a duration from 1s to 30d, e.g. 2h");
            }
            spread = d.toMillis();
        }
        String sendTime = text(body, "send_time");
        if (sendTime != null && !sendTime.equals("fixed") && !sendTime.equals("best")) {
            throw InvalidRequestException.field("send_time", "send_time must be fixed or best");
        }
        CampaignSettings.FollowUp followUp = followUp(body.get("follow_up"));
        return new CampaignSettings(client, campaign, Boolean.TRUE.equals(track), now, from, cls == null || cls.equals("transactional") ? null : cls,
                variants, maxSegments, startAt, spread, followUp, null, null, "best".equals(sendTime) ? "best" : null);
    }

    private static List<CampaignSettings.VariantSpec> variants(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray() || v.isEmpty() || v.size() > 26) {
            throw InvalidRequestException.field("variants", "variants must be a list of 1 to 26 variants");
        }
        List<CampaignSettings.VariantSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode n = v.get(i);
            String at = "variants[" + i + "]";
            if (!n.isObject()) {
                throw InvalidRequestException.field(at, at + " must be an object {name, text, weight}");
            }
            n.fieldNames().forEachRemaining(f -> {
                if (!Set.of("name", "text", "weight").contains(f)) {
                    throw InvalidRequestException.field(at + "." + f, "unknown field '" + f + "' (expected: name, text, weight)");
                }
            });
            String name = n.path("name").isTextual() ? n.get("name").textValue() : null;
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,32}") || !names.add(name)) {
                throw InvalidRequestException.field(at + ".name", "name must be 1 to 32 letters, digits, - or _, unique in the campaign");
            }
            String text = n.path("text").isTextual() ? n.get("text").textValue() : null;
            if (text == null || text.isBlank()) {
                throw InvalidRequestException.field(at + ".text", "text is required");
            }
            double weight = 1;
            if (n.has("weight")) {
                if (!n.get("weight").isNumber() || n.get("weight").asDouble() <= 0 || n.get("weight").asDouble() > 1_000_000) {
                    throw InvalidRequestException.field(at + ".weight", "weight must be a positive number");
                }
                weight = n.get("weight").asDouble();
            }
            Template.of(text); // placeholders are checked per recipient; the text itself is always a template
            out.add(new CampaignSettings.VariantSpec(name, text, weight));
        }
        return out;
    }

    private static CampaignSettings.FollowUp followUp(JsonNode f) {
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isObject()) {
            throw InvalidRequestException.field("follow_up", "follow_up must be an object {after, unless, text}");
        }
        f.fieldNames().forEachRemaining(k -> {
            if (!Set.of("after", "unless", "text").contains(k)) {
                throw InvalidRequestException.field("follow_up." + k, "unknown field '" + k + "' (expected: after, unless, text)");
            }
        });
        Duration after = Durations.parse(f.path("after").asText(null));
        if (after == null || after.toMillis() < 1000 || after.toDays() > 30) {
            throw InvalidRequestException.field("follow_up.after", "after must be a duration from 1s to 30d, e.g. 24h");
        }
        String unless = f.path("unless").asText("read");
        if (!unless.equals("read") && !unless.equals("converted")) {
            throw InvalidRequestException.field("follow_up.unless", "unless must be read or converted");
        }
        String text = f.path("text").isTextual() ? f.get("text").textValue() : null;
        if (text == null || text.isBlank()) {
            throw InvalidRequestException.field("follow_up.text", "text is required");
        }
        return new CampaignSettings.FollowUp(after.toMillis(), unless, text);
    }

    private static String text(JsonNode body, String field) {
        return MessageRequests.text(body, field, "");
    }

    /** {@code draft}, {@code scheduled} (its start ahead), {@code paused}, {@code cancelled} or {@code running}. */
    static String status(CampaignSettings c, long now) {
        return c.cancelledAt() != null ? "cancelled" : c.pausedAt() != null ? "paused" : c.isDraft() ? "draft"
                : c.startAt() != null && c.startAt() > now ? "scheduled" : "running";
    }

    static ObjectNode json(CampaignSettings c, long now) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("campaign", c.campaign());
        n.put("status", status(c, now));
        if (c.isDraft()) {
            n.put("draft", true);
        }
        n.put("track_links", c.trackLinks());
        if (c.from() != null) {
            n.put("from", c.from());
        }
        boolean recipients = c.from() != null || c.variants() != null || c.messageClass() != null;
        if (recipients) {
            n.put("class", c.messageClass() == null ? "transactional" : c.messageClass());
        }
        if (c.variants() != null) {
            ArrayNode vs = n.putArray("variants");
            c.variants().forEach(v -> vs.addObject().put("name", v.name()).put("text", v.text()).put("weight", v.weight()));
        }
        if (c.maxSegments() != null) {
            n.put("max_segments", c.maxSegments());
        }
        if (c.startAt() != null) {
            n.put("start_at", Json.time(c.startAt()));
        }
        if (c.spreadMs() != null) {
            n.put("spread", Durations.format(Duration.ofMillis(c.spreadMs())));
        }
        if (recipients) {
            n.put("send_time", c.bestSendTime() ? "best" : "fixed");
        }
        if (c.followUp() != null) {
            n.putObject("follow_up").put("after", Durations.format(Duration.ofMillis(c.followUp().afterMs())))
                    .put("unless", c.followUp().unless()).put("text", c.followUp().text());
        }
        if (c.cancelledAt() != null) {
            n.put("cancelled_at", Json.time(c.cancelledAt()));
        }
        if (c.pausedAt() != null) {
            n.put("paused_at", Json.time(c.pausedAt()));
        }
        n.put("updated_at", Json.time(c.at()));
        return n;
    }
}
