package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import smppgw.campaign.Recipients;

/**
 * {@code POST /v1/campaigns/{name}/recipients} on a sharded group's front: the list (CSV or JSON lines) read once here,
 * each recipient handed with its fields to the place its number's shard runs — each local shard's core, each other node
 * that runs some (which splits its part again) — as JSON lines, all parts at once; the outcomes put together as one
 * upload's: the counts added up, the rejected rows named by their line in the list as sent, the first
 * {@value #LISTED} listed. A row that cannot be read is rejected here; one whose number cannot be read goes with the
 * first part, whose core refuses it as a gateway does. A recipient uploaded twice gets one message (its number decides
 * its shard, and each core takes a number once per campaign), so an upload a part refused (a shard without a node, a
 * paused campaign) can be sent again whole. With {@code spread}, each shard spaces its part over the whole spread.
 */
final class ShardUpload {
    private static final int LISTED = smppgw.intake.CampaignUpload.LISTED;

    private final ShardFront front;
    private final ShardCalls calls;
    private final FullHttpRequest req;
    private final byte[] body;
    private final boolean wasForwarded;
    private final ShardCalls.Reply reply;
    private final List<Part> parts = new ArrayList<>();
    private final List<ObjectNode> rejected = new ArrayList<>();
    private long accepted;
    private long rejectedTotal;
    private long duplicates;
    private long suppressed;
    private FullHttpResponse refusal;
    private int waiting;

    /** The recipients going to one place: their lines in the list as sent, in the order they are in the part. */
    private static final class Part {
        final int shard; // >= 0: a local core; -1: another node
        final ShardFront.Owner owner;
        final List<Integer> lines = new ArrayList<>();
        final ByteArrayOutputStream ndjson = new ByteArrayOutputStream();

        Part(int shard, ShardFront.Owner owner) {
            this.shard = shard;
            this.owner = owner;
        }
    }

    ShardUpload(ShardFront front, ShardCalls calls, FullHttpRequest req, byte[] body, boolean wasForwarded, ShardCalls.Reply reply) {
        this.front = front;
        this.calls = calls;
        this.req = req;
        this.body = body;
        this.wasForwarded = wasForwarded;
        this.reply = reply;
    }

    void run() {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(java.util.Locale.ROOT);
        boolean csv = type.startsWith("text/csv");
        boolean lines = type.startsWith("application/x-ndjson") || type.startsWith("application/jsonl") || type.startsWith("application/json-lines");
        Map<String, Part> byPlace = new LinkedHashMap<>();
        List<Recipients.Row> unroutable = new ArrayList<>();
        try (java.io.Reader in = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
            java.util.function.Consumer<Recipients.Row> each = row -> place(row, byPlace, unroutable);
            if (csv) {
                Recipients.csv(in, each);
            } else if (lines) {
                Recipients.jsonLines(in, each);
            } else {
                calls.here(req, wasForwarded, reply); // the usual 415, from any core
                return;
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            calls.here(req, wasForwarded, reply); // a list that cannot be read at all: the usual 400, from any core
            return;
        }
        if (!unroutable.isEmpty()) {
            Part p = byPlace.isEmpty() ? anyCore(byPlace) : byPlace.values().iterator().next();
            if (p == null) {
                reply.accept(ShardCalls.unavailable("no_shard_owner", "no shard runs on node " + front.nodeId() + ": nothing was stored; retry"));
                return;
            }
            unroutable.forEach(r -> add(p, r));
        }
        parts.addAll(byPlace.values());
        if (parts.isEmpty()) { // nothing but rows that could not be read, or refused at once: one part to any core makes the answer
            Part p = anyCore(byPlace);
            if (p == null) {
                reply.accept(answer());
                return;
            }
            parts.add(p);
        }
        waiting = parts.size();
        for (Part p : parts) {
            calls.part(p.shard, p.owner, req, p.ndjson.toByteArray(), "application/x-ndjson", wasForwarded, res -> collect(p, res));
        }
    }

    private Part anyCore(Map<String, Part> byPlace) {
        List<Integer> here = front.localShards();
        return here.isEmpty() ? null : byPlace.computeIfAbsent("shard " + here.get(0), x -> new Part(here.get(0), null));
    }

    private void place(Recipients.Row row, Map<String, Part> byPlace, List<Recipients.Row> unroutable) {
        if (row.error() != null) {
            reject(row.line(), row.to(), null, row.error());
            return;
        }
        int k = front.routing().shardOf(row.to());
        if (k < 0) {
            unroutable.add(row);
        } else if (front.runsHere(k)) {
            add(byPlace.computeIfAbsent("shard " + k, x -> new Part(k, null)), row);
        } else {
            ShardFront.Owner o = wasForwarded ? null : front.ownerOf(k);
            if (o == null || o.nodeId().equals(front.nodeId())) {
                refused(ShardCalls.unavailable("no_shard_owner", "shard " + k + " (line " + row.line() + ") runs on no node known now: "
                        + "the rows of the other shards were taken; send the list again (a recipient gets one message)"));
            } else {
                add(byPlace.computeIfAbsent("node " + o.nodeId(), x -> new Part(-1, o)), row);
            }
        }
    }

    private static void add(Part p, Recipients.Row row) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("to", row.to());
        row.fields().forEach(line::put);
        p.lines.add(row.line());
        p.ndjson.writeBytes(Json.bytes(line));
        p.ndjson.write('\n');
    }

    private void reject(int line, String to, String field, String error) {
        ObjectNode x = Json.MAPPER.createObjectNode().put("line", line).put("to", to);
        if (field != null) {
            x.put("field", field);
        }
        rejected.add(x.put("error", error));
        rejectedTotal++;
    }

    private synchronized void refused(FullHttpResponse r) {
        if (refusal == null) {
            refusal = r;
        } else {
            r.release();
        }
    }

    private void collect(Part p, FullHttpResponse res) {
        JsonNode answer = null;
        try {
            answer = Json.MAPPER.readTree(io.netty.buffer.ByteBufUtil.getBytes(res.content()));
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the part's answer is the refusal
        }
        boolean done;
        synchronized (this) {
            if (res.status().code() == 200 && answer != null && answer.has("accepted")) {
                accepted += answer.path("accepted").asLong();
                rejectedTotal += answer.path("rejected_total").asLong();
                duplicates += answer.path("duplicates").asLong();
                suppressed += answer.path("suppressed").asLong();
                for (JsonNode r : answer.path("rejected")) {
                    int line = r.path("line").asInt();
                    ObjectNode x = ((ObjectNode) r).deepCopy();
                    x.put("line", line >= 1 && line <= p.lines.size() ? p.lines.get(line - 1) : line); // its line in the list as sent
                    rejected.add(x);
                }
                res.release();
            } else {
                refused(res);
            }
            done = --waiting == 0;
        }
        if (done) {
            reply.accept(answer());
        }
    }

    private synchronized FullHttpResponse answer() {
        if (refusal != null) { // a part refused (a paused campaign, a shard without a node): the list may be sent again whole
            return refusal;
        }
        rejected.sort(java.util.Comparator.comparingInt(r -> r.path("line").asInt()));
        ObjectNode n = Json.MAPPER.createObjectNode().put("accepted", accepted);
        ArrayNode list = n.putArray("rejected");
        rejected.stream().limit(LISTED).forEach(list::add);
        return Exchange.response(HttpResponseStatus.OK, n.put("rejected_total", rejectedTotal).put("duplicates", duplicates).put("suppressed", suppressed));
    }
}
