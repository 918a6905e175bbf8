package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import smppgw.intake.InvalidRequestException;
import smppgw.model.CampaignSettings;
import smppgw.store.MessageStore;

/**
 * {@code PUT /v1/campaigns/{id}} {@code {"track_links": true}}: a client's defaults for the messages of one of its campaigns
 * (a message's own {@code track_links} wins); {@code GET} shows them. Journaled, so they survive restarts.
 */
final class CampaignRoutes {
    private static final Set<String> FIELDS = Set.of("track_links");

    private final MessageStore store;
    private final boolean linksConfigured;

    private final java.time.Clock clock;

    CampaignRoutes(MessageStore store, boolean linksConfigured, java.time.Clock clock) {
        this.clock = clock;
        this.store = store;
        this.linksConfigured = linksConfigured;
    }

    CompletableFuture<AdminRoutes.Answer> handle(FullHttpRequest req, String campaign, String client) {
        if (campaign.isBlank() || campaign.length() > 64) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
        if (req.method().equals(HttpMethod.GET)) {
            return CompletableFuture.completedFuture(store.campaign(client, campaign)
                    .map(c -> new AdminRoutes.Answer(HttpResponseStatus.OK, json(c)))
                    .orElse(new AdminRoutes.Answer(HttpResponseStatus.NOT_FOUND,
                            Json.error("not_found", "campaign", "campaign " + campaign + " has no settings"))));
        }
        if (!req.method().equals(HttpMethod.PUT)) {
            throw new InvalidRequestException(405, "method_not_allowed", null, req.method() + " is not allowed here (GET, PUT)");
        }
        JsonNode body = MessageRequests.body(req);
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw InvalidRequestException.field(f, "unknown field '" + f + "' (expected: track_links)");
            }
        });
        Boolean track = MessageRequests.bool(body, "track_links", "");
        if (track == null) {
            throw InvalidRequestException.field("track_links", "track_links is required (true or false)");
        }
        if (track && !linksConfigured) {
            throw new InvalidRequestException(422, "invalid", "track_links", "track_links needs tracking.base-url in the gateway's configuration");
        }
        CampaignSettings c = new CampaignSettings(client, campaign, track, clock.millis());
        return store.putCampaign(c).thenApply(v -> new AdminRoutes.Answer(HttpResponseStatus.OK, json(c)));
    }

    private static ObjectNode json(CampaignSettings c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("campaign", c.campaign());
        n.put("track_links", c.trackLinks());
        n.put("updated_at", Json.time(c.at()));
        return n;
    }
}
