package smppgw.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import smppgw.intake.InvalidRequestException;
import smppgw.report.CampaignReport;
import smppgw.store.MessageStore;

/** Campaign reports, built off the I/O threads (a large campaign reads every one of its messages). */
final class Reports {
    /**
     * Asks a shard's core for the parts a sharded group's front puts together: a report's counts ({@link CampaignReport#counts}),
     * a messages page as JSON whatever its {@code format}. Set by the front; harmless from anyone else (their own figures).
     */
    static final String PARTS = "X-Smppgw-Shard-Parts";
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "smppgw-reports");
        t.setDaemon(true);
        return t;
    });

    private Reports() {
    }

    /** {@code ?tz=Europe/Paris} (default UTC) for the hours of day; {@code client} null for every client's messages. */
    static CompletableFuture<ObjectNode> campaign(MessageStore store, String campaign, String client, QueryStringDecoder uri, boolean counts) {
        if (campaign.isEmpty() || campaign.length() > 64) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
        ZoneId z = zone(uri);
        if (z == null) {
            throw InvalidRequestException.field("tz", "tz '" + uri.parameters().get("tz").get(0) + "' is not a time zone (e.g. Europe/Paris, UTC)");
        }
        return CompletableFuture.supplyAsync(() -> counts ? CampaignReport.counts(store, campaign, client, z) : CampaignReport.build(store, campaign, client, z), WORKER);
    }

    /** The time zone a report's hours of day are in ({@code ?tz=}, UTC by default); null when it is not one (the shards answer the 400). */
    static ZoneId zone(QueryStringDecoder uri) {
        List<String> tz = uri.parameters().get("tz");
        try {
            return tz == null ? ZoneId.of("UTC") : ZoneId.of(tz.get(0));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * {@code GET /v1/campaigns/{id}/messages?state=&variant=&read=&follow_up=&after=&limit=&format=csv}: the campaign's
     * messages, oldest first, 100 a page by default (at most 1,000; with {@code format=csv} 100,000 by default, at most
     * 1,000,000), {@code next} the {@code after} of the following page.
     */
    static CompletableFuture<io.netty.handler.codec.http.FullHttpResponse> messages(MessageStore store, String campaign, String client,
                                                                               QueryStringDecoder uri, boolean parts) {
        if (campaign.isEmpty() || campaign.length() > 64) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
        java.util.Map<String, List<String>> q = uri.parameters();
        for (String k : q.keySet()) {
            if (!java.util.Set.of("state", "variant", "read", "follow_up", "after", "limit", "format").contains(k)) {
                throw InvalidRequestException.field(k, "unknown parameter '" + k + "' (expected: state, variant, read, follow_up, after, limit, format)");
            }
        }
        boolean asked = "csv".equals(one(q, "format"));
        if (one(q, "format") != null && !asked && !"json".equals(one(q, "format"))) {
            throw InvalidRequestException.field("format", "format must be json or csv");
        }
        boolean csv = asked && !parts;
        smppgw.model.MessageState state = null;
        if (one(q, "state") != null) {
            try {
                state = smppgw.model.MessageState.valueOf(one(q, "state").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.field("state", "state must be one of " + java.util.Arrays.toString(smppgw.model.MessageState.values()));
            }
        }
        int max = asked ? 1_000_000 : 1000;
        int limit = pageSize(asked);
        if (one(q, "limit") != null) {
            try {
                limit = Integer.parseInt(one(q, "limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > max) {
                throw InvalidRequestException.field("limit", "limit must be from 1 to " + max);
            }
        }
        smppgw.report.CampaignMessages.Filter f = new smppgw.report.CampaignMessages.Filter(state, one(q, "variant"), bool(q, "read"),
                bool(q, "follow_up"), one(q, "after"), limit);
        return CompletableFuture.supplyAsync(() -> page(smppgw.report.CampaignMessages.page(store, campaign, client, f), csv), WORKER);
    }

    /** The page size when {@code limit} is not given: 100, or 100,000 for CSV. */
    static int pageSize(boolean csv) {
        return csv ? 100_000 : 100;
    }

    /** A page of a campaign's messages answered as JSON, or CSV with its {@code next} as {@code X-Next-After}. */
    static io.netty.handler.codec.http.FullHttpResponse page(smppgw.report.CampaignMessages.Page p, boolean csv) {
        if (!csv) {
            return Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.OK, smppgw.report.CampaignMessages.json(p));
        }
        byte[] b = smppgw.report.CampaignMessages.csv(p).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.netty.handler.codec.http.FullHttpResponse r = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpResponseStatus.OK,
                io.netty.buffer.Unpooled.wrappedBuffer(b));
        r.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        r.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, b.length);
        if (p.next() != null) {
            r.headers().set("X-Next-After", p.next());
        }
        return r;
    }

    private static String one(java.util.Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static Boolean bool(java.util.Map<String, List<String>> q, String k) {
        String v = one(q, k);
        if (v == null) {
            return null;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw InvalidRequestException.field(k, k + " must be true or false");
        }
        return Boolean.valueOf(v);
    }
}
