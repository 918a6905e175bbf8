package smppgw.api.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import smppgw.intake.InvalidRequestException;
import smppgw.model.CampaignSettings;
import smppgw.model.MessageState;

/**
 * {@code POST /v1/campaigns/{id}/start}: starts a draft (its uploads kept, held) or a campaign whose {@code start_at} is
 * still ahead, now. Its scheduled messages move so that the first goes now and the others keep their spacing (the
 * {@code spread}); {@code start_at} becomes now. Answered {@code {"campaign", "status": "running", "start_at", "messages"}}
 * (how many moved) once durable. A running campaign is 409 {@code already_started}; a paused one 409 {@code paused}
 * (resume it); a cancelled one 409 {@code cancelled}.
 */
final class CampaignStart {
    private record Planned(String id, long at) {
    }

    private CampaignStart() {
    }

    static void start(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        CampaignRoutes.checkName(campaign);
        CampaignSettings c = ex.routes.store().campaign(ex.client, campaign).orElseThrow(() -> new InvalidRequestException(404, "not_found",
                "campaign", "campaign " + campaign + " has no settings"));
        long now = ex.routes.intake().clock().millis();
        if (c.cancelledAt() != null) {
            throw new InvalidRequestException(409, "cancelled", "campaign", "campaign " + campaign + " was cancelled");
        }
        if (c.pausedAt() != null) {
            throw new InvalidRequestException(409, "paused", "campaign", "campaign " + campaign + " is paused: POST /v1/campaigns/" + campaign + "/resume");
        }
        if (!c.isDraft() && (c.startAt() == null || c.startAt() <= now)) {
            throw new InvalidRequestException(409, "already_started", "campaign", "campaign " + campaign + " is running"
                    + (c.startAt() == null ? "" : " (since " + Json.time(c.startAt()) + ")"));
        }
        String client = ex.routes.clients().authRequired() ? ex.client : null;
        RecipientRoutes.UPLOADS.execute(() -> {
            try {
                ex.routes.store().putCampaign(c.started(now)).join(); // first: uploads from now on are not held
                List<Planned> scheduled = new ArrayList<>();
                ex.routes.store().forCampaign(campaign, id -> ex.routes.store().find(id).ifPresent(v -> {
                    if ((client == null || client.equals(v.message().client())) && v.state() == MessageState.SCHEDULED && v.sendAt() != null) {
                        scheduled.add(new Planned(id, v.sendAt()));
                    }
                }));
                long first = scheduled.stream().mapToLong(Planned::at).min().orElse(now);
                List<CompletableFuture<Boolean>> moved = new ArrayList<>(scheduled.size());
                for (Planned p : scheduled) {
                    moved.add(ex.routes.store().reschedule(p.id(), client, now + (p.at() - first)));
                }
                long n = moved.stream().map(CompletableFuture::join).filter(Boolean::booleanValue).count();
                ex.send(HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("campaign", campaign).put("status", "running")
                        .put("start_at", Json.time(now)).put("messages", n));
            } catch (RuntimeException e) {
                ex.fail(e); // a CompletionException is unwrapped there
            }
        });
    }
}
