package smppgw.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.testing.Await;
import smppgw.testing.CompatData;
import smppgw.testing.Http;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A gateway upgraded in place replays the journal an earlier version wrote: the data directory committed under
 * {@code src/test/resources/compat/v0.1} (journal, queues and notifications only, so the whole state is rebuilt from
 * the journal) gives, message by message, what that version's API answered ({@code expected.json}).
 */
class JournalCompatibilityTest {
    @TempDir
    Path dir;

    @Test
    void theJournalOfVersion01ReplaysToTheSameMessagesOptOutsAndCampaigns() throws Exception {
        Path source = Path.of("src/test/resources/compat/v0.1");
        copy(source, dir);
        JsonNode expected = Http.JSON.readTree(dir.resolve("expected.json").toFile());
        int http = Ports.free();
        int smsc = Ports.free();
        GatewayConfig cfg = GatewayConfig.parse("compat", CompatData.CONFIG.formatted(dir, http, smsc, smsc), dir);
        try (Gateway gw = Gateway.start(cfg, Clock.systemUTC())) {
            Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
            Http api = new Http(http).withKey("acme-key-0123456789");
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("messages").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                assertEquals(m.getValue(), api.get("/v1/messages/" + m.getKey()).body(), "message " + m.getKey());
            }
            // that version had one list: the client's own API entry is on its list now, the consumer's STOP on the gateway's
            JsonNode before = expected.get("optouts").get("optouts");
            assertEquals(Http.JSON.createObjectNode().set("optouts", Http.JSON.createArrayNode().add(before.get(1))), api.get("/v1/optouts").body());
            com.fasterxml.jackson.databind.node.ObjectNode stop = before.get(0).deepCopy();
            stop.put("list", "gateway");
            JsonNode gatewayList = Http.admin(dir, http).get("/admin/optouts").body().get("optouts");
            assertEquals(1, gatewayList.size(), gatewayList::toString);
            com.fasterxml.jackson.databind.node.ObjectNode got = gatewayList.get(0).deepCopy();
            got.remove("stopped_senders");
            assertEquals(stop, got);
            com.fasterxml.jackson.databind.node.ObjectNode campaign = (com.fasterxml.jackson.databind.node.ObjectNode) api.get("/v1/campaigns/soldes").body();
            assertEquals("running", campaign.remove("status").asText(), "a campaign of that version is running (status came later)");
            assertEquals(expected.get("campaign"), campaign);
            // the report gained fields since (reached, clicks, read_after_failed_receipt, unattributed, non_human; sent, converted,
            // conversion_rate, variants, winner): the rest is the same
            assertEquals(1, api.get("/v1/campaigns/soldes/report").body().get("converted").asInt(), "its promo-code read is a conversion");
            com.fasterxml.jackson.databind.node.ObjectNode report = (com.fasterxml.jackson.databind.node.ObjectNode) api.get("/v1/campaigns/soldes/report").body();
            report.remove(java.util.List.of("reached", "clicks", "read_after_failed_receipt", "unattributed", "non_human", "sent", "converted",
                    "conversion_rate", "value", "variants", "winner", "reads_over_time"));
            report.get("by_hour").forEach(h -> ((com.fasterxml.jackson.databind.node.ObjectNode) h).remove("reached"));
            assertEquals(expected.get("report"), report);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
