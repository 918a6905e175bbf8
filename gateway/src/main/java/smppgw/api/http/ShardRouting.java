package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import smppgw.intake.InvalidRequestException;
import smppgw.intake.PhoneNumbers;
import smppgw.model.Ids;
import smppgw.route.Shards;

/**
 * Where a request goes in a sharded group: the routing table of docs/cluster.md ("Step 2 revisited", step 2) as code,
 * for the front to ask on every request. Pure: the method, the path (without its query), the query's {@code client_ref}
 * and the body decide.
 *
 * <p>A request whose routing key cannot be read (a body that is not JSON, a number that is not one) goes to the node
 * that took it: any core answers it with the same 400 as a gateway that is not sharded.
 */
public final class ShardRouting {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a request is answered. */
    public enum Kind {
        /** By the core of {@link Target#shard}. */
        SHARD,
        /** Each of its messages by the core of its recipient's shard, the answers put back in the request's order (a batch). */
        SPLIT,
        /** By every shard's core, the answers merged (lists, reports, the status, the admin's operator controls). */
        EVERY_SHARD,
        /** By the node that took it (health, metrics, the console, a preview, what no route takes, what cannot be read). */
        HERE
    }

    /** @param shard the shard with {@link Kind#SHARD}, else -1 */
    public record Target(Kind kind, int shard) {
        static final Target HERE = new Target(Kind.HERE, -1);
        static final Target SPLIT = new Target(Kind.SPLIT, -1);
        static final Target EVERY_SHARD = new Target(Kind.EVERY_SHARD, -1);

        static Target shard(int shard) {
            return new Target(Kind.SHARD, shard);
        }
    }

    private final int shards;
    private final String defaultCountryCode;

    /** @param defaultCountryCode what intake puts before a national number ({@code default-country-code}) */
    public ShardRouting(int shards, String defaultCountryCode) {
        this.shards = shards;
        this.defaultCountryCode = defaultCountryCode;
    }

    /**
     * @param method    the request's method ({@code GET}, {@code POST}, ...)
     * @param path      its path, decoded ({@code %2B} as {@code +}), without the query
     * @param clientRef the query's {@code client_ref}, or null
     * @param body      its body (empty for none)
     */
    public Target of(String method, String path, String clientRef, byte[] body) {
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/v1/messages")) {
            return method.equals("POST") ? byNumber(field(body, "to")) : clientRef != null ? Target.EVERY_SHARD : Target.HERE;
        }
        if (path.equals("/v1/messages/batch")) {
            return Target.SPLIT;
        }
        if (path.equals("/v1/messages/preview")) {
            return Target.HERE;
        }
        if (path.startsWith("/v1/messages/")) {
            return byId(path.substring("/v1/messages/".length()));
        }
        if (path.startsWith("/admin/messages/")) {
            return byId(path.substring("/admin/messages/".length()));
        }
        if (path.equals("/v1/optouts") || path.equals("/admin/optouts")) {
            return method.equals("POST") ? byNumber(field(body, "number")) : Target.EVERY_SHARD;
        }
        if (path.startsWith("/v1/optouts/") || path.startsWith("/admin/optouts/")) {
            return byNumber(path.substring(path.indexOf("/optouts/") + "/optouts/".length()));
        }
        if (path.startsWith("/r/")) {
            return byCode(path.substring("/r/".length()));
        }
        if (path.equals("/v1/redemptions")) {
            return byCode(field(body, "code"));
        }
        if (path.equals("/v1/conversions")) { // the message named by its id, its promo code, or its number (and campaign)
            String id = field(body, "message_id");
            String code = field(body, "code");
            return id != null ? byId(id) : code != null ? byCode(code) : byNumber(field(body, "to"));
        }
        if (path.startsWith("/v1/campaigns/") && !path.substring("/v1/campaigns/".length()).isEmpty()) {
            String rest = path.substring("/v1/campaigns/".length());
            int slash = rest.indexOf('/');
            String action = slash < 0 ? "" : rest.substring(slash + 1);
            if (slash < 0) { // a campaign's settings: on every shard (each makes its recipients' messages), read from any
                return method.equals("PUT") ? Target.EVERY_SHARD : Target.HERE;
            }
            if (method.equals("POST") && java.util.Set.of("start", "pause", "resume", "cancel").contains(action)) {
                return Target.EVERY_SHARD;
            }
            if (method.equals("POST") && action.equals("recipients")) {
                return Target.SPLIT; // each recipient to its number's shard
            }
            if (get && (action.equals("report") || action.equals("messages"))) {
                return Target.EVERY_SHARD; // each shard's counts or page, merged
            }
        }
        if (get && path.startsWith("/admin/campaigns/") && path.endsWith("/report")) {
            return Target.EVERY_SHARD;
        }
        if (get && path.equals("/admin/status") || method.equals("POST") && (path.equals("/admin/purge") || path.startsWith("/admin/operators/"))) {
            return Target.EVERY_SHARD;
        }
        return Target.HERE; // /health, /metrics, /console, /admin/reload (the node's own file), campaign lists (settings are on every
        // shard), and what no route takes
    }

    private Target byNumber(String raw) {
        int shard = shardOf(raw);
        return shard < 0 ? Target.HERE : Target.shard(shard);
    }

    /** The shard of the number {@code raw} as intake reads it, or -1 when it is missing or not a number. */
    public int shardOf(String raw) {
        if (raw == null) {
            return -1;
        }
        try {
            return Shards.of(PhoneNumbers.normalize("number", raw, defaultCountryCode), shards);
        } catch (InvalidRequestException e) {
            return -1;
        }
    }

    /** The group's shard count. */
    public int shards() {
        return shards;
    }

    /** A tracking link's token or a promo code: the shard whose core drew it ({@link Shards#ofCode}). */
    private Target byCode(String code) {
        return code == null || code.isBlank() ? Target.HERE : Target.shard(Shards.ofCode(code.trim(), shards));
    }

    private Target byId(String id) {
        int shard = Ids.shardOf(id);
        return shard >= 0 && shard < shards ? Target.shard(shard) : Target.HERE; // not an id of this group: 404 from any core
    }

    private static String field(byte[] body, String name) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.path(name).isTextual() ? n.path(name).asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
