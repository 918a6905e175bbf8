package smppgw.api.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import smppgw.model.Ids;
import smppgw.route.Shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The routing table of docs/cluster.md step 2, request by request. */
class ShardRoutingTest {
    private static final int S = 12;
    private final ShardRouting routing = new ShardRouting(S, "33");

    private ShardRouting.Target route(String method, String path, String body) {
        return routing.of(method, path, null, body.getBytes(StandardCharsets.UTF_8));
    }

    private static ShardRouting.Target shard(int s) {
        return new ShardRouting.Target(ShardRouting.Kind.SHARD, s);
    }

    private static ShardRouting.Target kind(ShardRouting.Kind k) {
        return new ShardRouting.Target(k, -1);
    }

    @Test
    void aMessageGoesToTheShardOfItsRecipientHoweverTheNumberIsWritten() {
        int s = Shards.of("+33612345678", S);
        assertEquals(shard(s), route("POST", "/v1/messages", "{\"to\":\"+33612345678\",\"text\":\"hi\"}"));
        assertEquals(shard(s), route("POST", "/v1/messages", "{\"text\":\"hi\",\"to\":\"06 12 34 56 78\"}"), "national, with the default country code");
        assertEquals(shard(s), route("POST", "/v1/messages", "{\"to\":\"0033612345678\"}"));
        String other = "+33612345679";
        for (int i = 0; Shards.of(other, S) == s; i++) {
            other = "+3361234" + String.format("%04d", i);
        }
        assertEquals(shard(Shards.of(other, S)), route("POST", "/v1/messages", "{\"to\":\"" + other + "\"}"));
        assertNotEquals(shard(s), route("POST", "/v1/messages", "{\"to\":\"" + other + "\"}"));
    }

    @Test
    void whatCannotBeReadIsAnsweredHereWithTheUsual400() {
        ShardRouting.Target here = kind(ShardRouting.Kind.HERE);
        assertEquals(here, route("POST", "/v1/messages", "{\"to\":\"not a number\"}"));
        assertEquals(here, route("POST", "/v1/messages", "{\"to\":612345678}"), "not a string");
        assertEquals(here, route("POST", "/v1/messages", "{\"text\":\"no to\"}"));
        assertEquals(here, route("POST", "/v1/messages", "not json"));
        assertEquals(here, route("POST", "/v1/messages", ""));
        assertEquals(here, route("GET", "/v1/messages/not-an-id", ""), "404 from any core");
    }

    @Test
    void aMessageIdCarriesItsShard() {
        String id = new Ids(new java.util.Random(1), 7).next(1_732_288_000_000L);
        assertEquals(shard(7), route("GET", "/v1/messages/" + id, ""));
        assertEquals(shard(7), route("DELETE", "/v1/messages/" + id, ""));
        assertEquals(shard(7), route("GET", "/admin/messages/" + id, ""));
        String elsewhere = new Ids(new java.util.Random(1), 40).next(1_732_288_000_000L);
        assertEquals(kind(ShardRouting.Kind.HERE), route("GET", "/v1/messages/" + elsewhere, ""), "shard 40 is not one of 12: not this group's");
    }

    @Test
    void optOutsByNumberGoToItsShardListsToEveryShard() {
        int s = Shards.of("+33612345678", S);
        assertEquals(shard(s), route("GET", "/v1/optouts/+33612345678", ""));
        assertEquals(shard(s), route("DELETE", "/admin/optouts/0612345678", ""));
        assertEquals(shard(s), route("POST", "/v1/optouts", "{\"number\":\"+33612345678\"}"));
        assertEquals(shard(s), route("POST", "/admin/optouts", "{\"number\":\"+33612345678\",\"list\":\"acme\"}"));
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("GET", "/v1/optouts", ""));
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("GET", "/admin/optouts", ""));
    }

    @Test
    void batchesSplitAndTheRestByTheTable() {
        assertEquals(kind(ShardRouting.Kind.SPLIT), route("POST", "/v1/messages/batch", "{\"messages\":[]}"));
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), routing.of("GET", "/v1/messages", "ref-1", new byte[0]), "by client_ref: any shard may hold it");
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("GET", "/admin/status", ""));
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("POST", "/admin/purge", ""));
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("POST", "/admin/operators/orange/pause", ""));
        for (String p : new String[]{"/health", "/metrics", "/console", "/console/app.js", "/admin/reload", "/nowhere"}) {
            assertEquals(kind(ShardRouting.Kind.HERE), route(p.equals("/admin/reload") ? "POST" : "GET", p, ""), p);
        }
        assertEquals(kind(ShardRouting.Kind.HERE), route("POST", "/v1/messages/preview", "{\"to\":\"+33612345678\",\"text\":\"x\"}"));
        // a campaign's report and messages: every shard's counts or page, merged; the list of settings from any
        for (String p : new String[]{"/v1/campaigns/noel/report", "/v1/campaigns/noel/messages", "/admin/campaigns/noel/report"}) {
            assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("GET", p, ""), p);
        }
        assertEquals(kind(ShardRouting.Kind.HERE), route("GET", "/admin/campaigns", ""));
        assertEquals(kind(ShardRouting.Kind.HERE), route("DELETE", "/v1/campaigns/noel", ""), "not a campaign method: any core's 405");
        assertEquals(kind(ShardRouting.Kind.HERE), route("GET", "/admin/nowhere", ""), "any core's 404 behind the admin key");
        assertEquals(kind(ShardRouting.Kind.SPLIT), route("POST", "/v1/campaigns/noel/recipients", "to\n+33611111111\n"));
        // a campaign's settings and controls: every shard keeps them; read from any
        assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("PUT", "/v1/campaigns/noel", "{}"));
        for (String a : new String[]{"start", "pause", "resume", "cancel"}) {
            assertEquals(kind(ShardRouting.Kind.EVERY_SHARD), route("POST", "/v1/campaigns/noel/" + a, "{}"), a);
        }
        assertEquals(kind(ShardRouting.Kind.HERE), route("GET", "/v1/campaigns/noel", ""));
        assertEquals(kind(ShardRouting.Kind.HERE), route("GET", "/v1/campaigns", ""));
    }

    @Test
    void linksAndPromoCodesGoToTheShardThatDrewThem() {
        assertEquals(ShardRouting.Target.shard(Shards.ofCode("aB3dE6gH9k", S)), route("GET", "/r/aB3dE6gH9k", ""));
        assertEquals(ShardRouting.Target.shard(Shards.ofCode("K7M3QX9P", S)), route("POST", "/v1/redemptions", "{\"code\":\" K7M3QX9P \"}"));
        assertEquals(kind(ShardRouting.Kind.HERE), route("POST", "/v1/redemptions", "{}"), "no code: any core answers 400");
        // a conversion: the message by its id, by its promo code, or by its number (with the campaign)
        String id = new smppgw.model.Ids(new java.util.Random(1), 5 % S).next(0);
        assertEquals(ShardRouting.Target.shard(5 % S), route("POST", "/v1/conversions", "{\"message_id\":\"" + id + "\",\"value\":3}"));
        assertEquals(ShardRouting.Target.shard(Shards.ofCode("K7M3QX9P", S)), route("POST", "/v1/conversions", "{\"code\":\"K7M3QX9P\"}"));
        assertEquals(ShardRouting.Target.shard(Shards.of("+33612345678", S)),
                route("POST", "/v1/conversions", "{\"to\":\"0612345678\",\"campaign\":\"noel\"}"));
        assertEquals(kind(ShardRouting.Kind.HERE), route("POST", "/v1/conversions", "{\"value\":3}"));
    }
}
