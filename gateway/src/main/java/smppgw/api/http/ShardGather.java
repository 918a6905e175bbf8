package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request every shard answers in part, on a sharded group's front: each core here is asked, and once each other node
 * that runs shards (which asks its own cores), and the answers are put together.
 * <ul>
 * <li>{@code GET /v1/messages?client_ref=} ({@link Mode#FIRST_FOUND}): the message may be in any shard (its recipient is
 * not in the request); the first that has it answers. Not found is said only when every shard was asked and none has it.
 * <li>{@code GET /v1/optouts} and {@code GET /admin/optouts} ({@link Mode#OPT_OUT_PAGE}): each shard's page of the list (by
 * number, after {@code ?after=}), merged by number and cut at {@code ?limit=} (100 by default), {@code next} set when more
 * may follow.
 * <li>{@code POST /admin/purge} and a campaign's {@code start}, {@code pause}, {@code resume}, {@code cancel} ({@link Mode#SUM}):
 * done by every shard; the counts added up, the lists joined.
 * <li>{@code PUT /v1/campaigns/{name}} ({@link Mode#EVERY_ONE}): the same settings stored by every shard; one shard's answer.
 * <li>{@code GET /v1/campaigns/{name}/report} and {@code GET /admin/campaigns/{name}/report} ({@link Mode#REPORT}): each shard
 * answers its messages' counts ({@link Reports#PARTS}); the node that took the request adds them up and makes the report
 * (rates, percentiles, the variants' comparison) from the sums. A node asked by another answers its shards' counts added up.
 * <li>{@code GET /v1/campaigns/{name}/messages} ({@link Mode#MESSAGE_PAGE}): each shard's page (as JSON), merged by id (ids
 * sort by acceptance time), cut at {@code ?limit=}; answered as JSON or CSV as asked, {@code next} set when more may follow.
 * </ul>
 * While a shard has no node, or a part gave an answer that is neither (a 400, a 401, a 503), that answer (or a 503) is
 * given instead.
 */
final class ShardGather {
    enum Mode {
        FIRST_FOUND, OPT_OUT_PAGE, SUM, EVERY_ONE, REPORT, MESSAGE_PAGE;

        /** How the answers to a request every shard answers are put together; null when they cannot be yet. */
        static Mode of(String path, boolean post) {
            if (!post && path.endsWith("/report") || !post && path.startsWith("/v1/campaigns/") && path.endsWith("/messages")) {
                return path.endsWith("/report") ? REPORT : MESSAGE_PAGE;
            }
            return path.equals("/v1/messages") ? FIRST_FOUND : path.endsWith("/optouts") ? OPT_OUT_PAGE
                    : path.equals("/admin/purge") || path.startsWith("/v1/campaigns/") && post ? SUM : path.startsWith("/v1/campaigns/") ? EVERY_ONE : null;
        }
    }

    private final Mode mode;
    private final ShardFront front;
    private final ShardCalls calls;
    private final FullHttpRequest req;
    private final boolean wasForwarded;
    private final ShardCalls.Reply reply;
    private int waiting;
    private boolean someShardUnasked;
    /** The request asked for parts (another node's front asks this node's shards): answered as parts, merged. */
    private boolean partsAsked;
    private final List<FullHttpResponse> answers = new ArrayList<>();

    ShardGather(Mode mode, ShardFront front, ShardCalls calls, FullHttpRequest req, boolean wasForwarded, ShardCalls.Reply reply) {
        this.mode = mode;
        this.front = front;
        this.calls = calls;
        this.req = req;
        this.wasForwarded = wasForwarded;
        this.reply = reply;
    }

    void run() {
        List<Integer> here = new ArrayList<>();
        Map<String, ShardFront.Owner> nodes = new LinkedHashMap<>();
        for (int k = 0; k < front.routing().shards(); k++) {
            if (front.runsHere(k)) {
                here.add(k);
                continue;
            }
            ShardFront.Owner o = wasForwarded ? null : front.ownerOf(k);
            if (o == null || o.nodeId().equals(front.nodeId())) {
                someShardUnasked |= !wasForwarded; // a forwarded request is answered for this node's shards only: the asking node asks the rest
            } else {
                nodes.putIfAbsent(o.nodeId(), o);
            }
        }
        waiting = here.size() + nodes.size();
        if (waiting == 0) {
            reply.accept(ShardCalls.unavailable("no_shard_owner", "no shard runs on node " + front.nodeId() + " or on a node it knows now: retry"));
            return;
        }
        if (mode == Mode.REPORT || mode == Mode.MESSAGE_PAGE) {
            partsAsked = req.headers().contains(Reports.PARTS);
            req.headers().set(Reports.PARTS, "1");
        }
        waiting++; // held until every part is sent: an answer given at once does not finish early
        for (int k : here) {
            calls.call(k, req, wasForwarded, this::collect);
        }
        for (ShardFront.Owner o : nodes.values()) {
            calls.forward(o, req, req.content().retainedDuplicate(), this::collect);
        }
        collect(null);
    }

    private void collect(FullHttpResponse res) {
        boolean done;
        synchronized (this) {
            if (res != null) {
                answers.add(res);
            }
            done = --waiting == 0;
        }
        if (done) {
            FullHttpResponse answer;
            try {
                answer = finish();
            } catch (RuntimeException e) {
                answer = Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        Json.error("internal", null, "answers of the shards could not be put together: " + e));
            }
            for (FullHttpResponse r : answers) {
                if (r != answer) {
                    r.release();
                }
            }
            reply.accept(answer);
        }
    }

    private FullHttpResponse finish() {
        FullHttpResponse other = answers.stream().filter(r -> r.status().code() != 200 && r.status().code() != 404).findFirst().orElse(null);
        if (mode == Mode.FIRST_FOUND) {
            FullHttpResponse found = answers.stream().filter(r -> r.status().code() == 200).findFirst().orElse(null);
            FullHttpResponse notFound = answers.stream().filter(r -> r.status().code() == 404).findFirst().orElse(null);
            FullHttpResponse answer = found != null ? found : other != null ? other : someShardUnasked ? null : notFound;
            return answer != null ? answer : unasked("the message may exist");
        }
        if (mode == Mode.EVERY_ONE) { // a refusal by any shard (the same settings are refused by all), else one shard's answer
            FullHttpResponse refused = answers.stream().filter(r -> r.status().code() / 100 != 2).findFirst().orElse(null);
            return refused != null ? refused : someShardUnasked ? unasked("the shards asked took it") : answers.get(0);
        }
        if (other != null) {
            return other;
        }
        if (someShardUnasked) {
            return unasked(mode == Mode.SUM ? "the shards asked did it" : "the list is not complete");
        }
        if (mode == Mode.REPORT) {
            return Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.OK, report());
        }
        return mode == Mode.MESSAGE_PAGE ? messagePage()
                : Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.OK, mode == Mode.SUM ? summed() : mergedPage());
    }

    /** The shards' report counts added up, or the report made of them. */
    private com.fasterxml.jackson.databind.node.ObjectNode report() {
        List<JsonNode> parts = answers.stream().map(ShardGather::body).toList();
        if (partsAsked) {
            return smppgw.report.CampaignReport.mergedCounts(parts);
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        String name = path.substring(path.indexOf("/campaigns/") + "/campaigns/".length(), path.length() - "/report".length());
        java.time.ZoneId zone = Reports.zone(uri); // each shard refused one that is not a time zone
        return smppgw.report.CampaignReport.merged(parts, QueryStringDecoder.decodeComponent(name), zone == null ? java.time.ZoneId.of("UTC") : zone);
    }

    /** The shards' pages of a campaign's messages merged by id, cut at the page size asked (each shard refused one it cannot read). */
    private FullHttpResponse messagePage() {
        java.util.Map<String, List<String>> q = new QueryStringDecoder(req.uri()).parameters();
        boolean csv = q.containsKey("format") && q.get("format").get(0).equals("csv");
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit").get(0)) : Reports.pageSize(csv);
        List<smppgw.report.CampaignMessages.Row> rows = new ArrayList<>();
        boolean more = false;
        for (FullHttpResponse r : answers) {
            JsonNode page = body(r);
            rows.addAll(smppgw.report.CampaignMessages.rows(page));
            more |= page.hasNonNull("next");
        }
        rows.sort(java.util.Comparator.comparing(smppgw.report.CampaignMessages.Row::id));
        List<smppgw.report.CampaignMessages.Row> cut = rows.subList(0, Math.min(limit, rows.size()));
        String next = (more || rows.size() > limit) && !cut.isEmpty() ? cut.get(cut.size() - 1).id() : null;
        return Reports.page(new smppgw.report.CampaignMessages.Page(cut, next), csv && !partsAsked);
    }

    /** Every answer's numbers added up and lists joined, field by field. */
    private com.fasterxml.jackson.databind.node.ObjectNode summed() {
        com.fasterxml.jackson.databind.node.ObjectNode out = Json.MAPPER.createObjectNode();
        for (FullHttpResponse r : answers) {
            for (var f : body(r).properties()) {
                JsonNode v = f.getValue();
                if (v.isIntegralNumber()) {
                    out.put(f.getKey(), out.path(f.getKey()).asLong() + v.asLong());
                } else if (v.isArray()) {
                    (out.has(f.getKey()) ? (com.fasterxml.jackson.databind.node.ArrayNode) out.get(f.getKey()) : out.putArray(f.getKey())).addAll(
                            (com.fasterxml.jackson.databind.node.ArrayNode) v);
                } else {
                    out.set(f.getKey(), v);
                }
            }
        }
        return out;
    }

    private com.fasterxml.jackson.databind.node.ObjectNode mergedPage() {
        List<JsonNode> entries = new ArrayList<>();
        boolean more = false;
        for (FullHttpResponse r : answers) {
            JsonNode page = body(r);
            page.path("optouts").forEach(entries::add);
            more |= page.hasNonNull("next");
        }
        entries.sort(java.util.Comparator.comparing(e -> e.path("number").asText()));
        List<String> limitParam = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters().get("limit");
        int limit = limitParam == null ? 100 : Integer.parseInt(limitParam.get(0)); // each shard has refused one it cannot read
        com.fasterxml.jackson.databind.node.ObjectNode out = Json.MAPPER.createObjectNode();
        var array = out.putArray("optouts");
        entries.stream().limit(limit).forEach(array::add);
        if (more || entries.size() > limit) {
            out.put("next", array.get(array.size() - 1).path("number").asText()); // pass as ?after= for the next page
        }
        return out;
    }

    private static JsonNode body(FullHttpResponse r) {
        try {
            return Json.MAPPER.readTree(io.netty.buffer.ByteBufUtil.getBytes(r.content()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a shard's answer is not JSON", e);
        }
    }

    private static FullHttpResponse unasked(String what) {
        return ShardCalls.unavailable("no_shard_owner", "not every shard could be asked (a shard has no node now): " + what + "; retry");
    }
}
