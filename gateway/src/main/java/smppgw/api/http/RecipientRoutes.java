package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import smppgw.campaign.Recipients;
import smppgw.intake.CampaignUpload;
import smppgw.intake.InvalidRequestException;
import smppgw.model.CampaignSettings;

/**
 * {@code POST /v1/campaigns/{id}/recipients}: a recipient list as {@code text/csv} (a header row: {@code to} and the
 * template's fields) or JSON lines ({@code application/x-ndjson}); answered
 * {@code {"accepted", "rejected": [{"line", "to", "field"?, "error"}], "rejected_total", "duplicates", "suppressed"}} once
 * the accepted recipients' messages are durable. Read on a thread of its own (not the I/O thread), line by line.
 */
final class RecipientRoutes {
    /** Uploads and the walks over a campaign's messages (cancel, pause, start), one at a time, off the I/O threads. */
    static final ExecutorService UPLOADS = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "smppgw-campaign-upload");
        t.setDaemon(true);
        return t;
    });

    private RecipientRoutes() {
    }

    static void post(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        CampaignRoutes.checkName(campaign);
        CampaignSettings c = ex.routes.store().campaign(ex.client, campaign).orElseThrow(() -> new InvalidRequestException(404, "not_found",
                "campaign", "campaign " + campaign + " has no settings: PUT /v1/campaigns/" + campaign + " with from and variants first"));
        if (c.cancelledAt() != null) {
            throw new InvalidRequestException(409, "cancelled", "campaign", "campaign " + campaign + " was cancelled at " + Json.time(c.cancelledAt()));
        }
        if (c.pausedAt() != null) {
            throw new InvalidRequestException(409, "paused", "campaign", "campaign " + campaign + " is paused (since " + Json.time(c.pausedAt())
                    + "): POST /v1/campaigns/" + campaign + "/resume first");
        }
        if (!c.takesRecipients()) {
            throw new InvalidRequestException(422, "invalid", "campaign", "campaign " + campaign
                    + " needs from and variants (PUT /v1/campaigns/" + campaign + ") before recipients can be uploaded");
        }
        String type = ex.req.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(java.util.Locale.ROOT);
        boolean csv;
        if (type.startsWith("text/csv")) {
            csv = true;
        } else if (type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl") || type.startsWith("application/json-lines")) {
            csv = false;
        } else {
            throw new InvalidRequestException(415, "unsupported_media_type", null,
                    "send recipients as text/csv (header row: to and the template's fields) or application/x-ndjson (one JSON object per line)");
        }
        byte[] body = ByteBufUtil.getBytes(ex.req.content()); // the request is released when this handler returns
        long now = ex.routes.intake().clock().millis();
        UPLOADS.execute(() -> {
            try {
                int rows = c.spreadMs() == null ? 0 : count(body, csv); // only spread needs the count: a second pass
                CampaignUpload upload = new CampaignUpload(ex.routes.intake(), c, rows, now,
                        key -> ex.routes.store().readProfile(key).orElse(null));
                read(body, csv, upload::add);
                CampaignUpload.Outcome o = upload.finish();
                ex.routes.metrics().intake.labelValues("campaign", ex.clientLabel(), "accepted").inc(o.accepted());
                ex.send(HttpResponseStatus.OK, json(o));
            } catch (IllegalArgumentException e) {
                ex.refuse(new InvalidRequestException(400, "invalid_recipients", "body", e.getMessage()));
            } catch (RuntimeException | IOException e) {
                ex.fail(e); // a CompletionException is unwrapped there
            }
        });
    }

    /**
     * {@code POST /v1/campaigns/{id}/cancel}: every message of the campaign not yet submitted — scheduled, or queued and not
     * yet taken by its dispatcher — becomes CANCELLED, no follow-up is sent any more and no recipients are taken; answered
     * {@code {"cancelled", "too_late"}} (too late: taken to be sent, or sent) once durable.
     */
    static void cancel(Exchange ex, String name) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        CampaignRoutes.checkName(campaign);
        CampaignSettings c = ex.routes.store().campaign(ex.client, campaign).orElse(null);
        String client = ex.routes.clients().authRequired() ? ex.client : null;
        long now = ex.routes.intake().clock().millis();
        UPLOADS.execute(() -> {
            try {
                if (c != null && c.cancelledAt() == null) {
                    ex.routes.store().putCampaign(c.cancelled(now)).join(); // first: no follow-up, no upload from now on
                }
                java.util.List<smppgw.model.Cancellation> all = eachMessage(ex, campaign, client, s -> !s.isFinal(),
                        id -> ex.routes.store().cancel(id, client));
                long cancelled = all.stream().filter(k -> k.outcome() == smppgw.model.Cancellation.Outcome.CANCELLED).count();
                long late = all.size() - cancelled;
                ex.send(HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("campaign", campaign).put("cancelled", cancelled).put("too_late", late));
            } catch (RuntimeException e) {
                ex.fail(e); // a CompletionException is unwrapped there
            }
        });
    }

    /**
     * {@code POST /v1/campaigns/{id}/pause} and {@code /resume}: pausing holds every scheduled message of the campaign (not
     * released at its time) and every one queued for sending that its dispatcher has not taken yet (those taken may be on
     * the wire and go on), stops follow-ups and uploads; resuming schedules them again at their own times — at once for
     * those whose time passed meanwhile (and those held from the queue), paced by the operator's tps.
     * Answered {@code {"campaign", "paused": true|false, "messages"}} (how many changed) once durable.
     */
    static void pause(Exchange ex, String name, boolean pause) {
        String campaign = QueryStringDecoder.decodeComponent(name);
        CampaignRoutes.checkName(campaign);
        CampaignSettings c = ex.routes.store().campaign(ex.client, campaign).orElseThrow(() -> new InvalidRequestException(404, "not_found",
                "campaign", "campaign " + campaign + " has no settings"));
        if (c.cancelledAt() != null) {
            throw new InvalidRequestException(409, "cancelled", "campaign", "campaign " + campaign + " was cancelled");
        }
        String client = ex.routes.clients().authRequired() ? ex.client : null;
        long now = ex.routes.intake().clock().millis();
        UPLOADS.execute(() -> {
            try {
                if ((c.pausedAt() != null) != pause) {
                    ex.routes.store().putCampaign(c.paused(now, pause ? now : null)).join(); // first: no upload or follow-up meanwhile
                }
                long changed = eachMessage(ex, campaign, client, s -> s == smppgw.model.MessageState.SCHEDULED
                                || pause && s == smppgw.model.MessageState.ACCEPTED, // queued and not yet taken to be sent
                        id -> ex.routes.store().hold(id, client, pause)).stream().filter(Boolean::booleanValue).count();
                ex.send(HttpResponseStatus.OK, Json.MAPPER.createObjectNode().put("campaign", campaign).put("paused", pause).put("messages", changed));
            } catch (RuntimeException e) {
                ex.fail(e); // a CompletionException is unwrapped there
            }
        });
    }

    /** {@code act} on each of the campaign's messages of {@code client} (null: any) in a state {@code which} takes; the answers once all are in. */
    static <T> java.util.List<T> eachMessage(Exchange ex, String campaign, String client,
                                                    java.util.function.Predicate<smppgw.model.MessageState> which,
                                                    java.util.function.Function<String, java.util.concurrent.CompletableFuture<T>> act) {
        java.util.List<java.util.concurrent.CompletableFuture<T>> all = new java.util.ArrayList<>();
        ex.routes.store().forCampaign(campaign, id -> ex.routes.store().find(id).ifPresent(v -> {
            if ((client == null || client.equals(v.message().client())) && which.test(v.state())) {
                all.add(act.apply(id));
            }
        }));
        return all.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    }

    private static int count(byte[] body, boolean csv) throws IOException {
        int[] n = {0};
        read(body, csv, r -> n[0]++);
        return n[0];
    }

    private static void read(byte[] body, boolean csv, java.util.function.Consumer<Recipients.Row> each) throws IOException {
        try (Reader in = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            if (csv) {
                Recipients.csv(in, each);
            } else {
                Recipients.jsonLines(in, each);
            }
        }
    }

    private static ObjectNode json(CampaignUpload.Outcome o) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("accepted", o.accepted());
        ArrayNode rejected = n.putArray("rejected");
        for (CampaignUpload.Rejected r : o.rejected()) {
            ObjectNode x = rejected.addObject().put("line", r.line());
            x.put("to", r.to());
            if (r.field() != null) {
                x.put("field", r.field());
            }
            x.put("error", r.error());
        }
        n.put("rejected_total", o.rejectedTotal());
        n.put("duplicates", o.duplicates());
        n.put("suppressed", o.suppressed());
        return n;
    }
}
