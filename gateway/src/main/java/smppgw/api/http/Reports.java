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
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "smppgw-reports");
        t.setDaemon(true);
        return t;
    });

    private Reports() {
    }

    /** {@code ?tz=Europe/Paris} (default UTC) for the hours of day; {@code client} null for every client's messages. */
    static CompletableFuture<ObjectNode> campaign(MessageStore store, String campaign, String client, QueryStringDecoder uri) {
        if (campaign.isEmpty() || campaign.length() > 64) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
        List<String> tz = uri.parameters().get("tz");
        ZoneId zone;
        try {
            zone = tz == null ? ZoneId.of("UTC") : ZoneId.of(tz.get(0));
        } catch (DateTimeException e) {
            throw InvalidRequestException.field("tz", "tz '" + tz.get(0) + "' is not a time zone (e.g. Europe/Paris, UTC)");
        }
        ZoneId z = zone;
        return CompletableFuture.supplyAsync(() -> CampaignReport.build(store, campaign, client, z), WORKER);
    }
}
