package smppgw.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import smppgw.intake.Intake;
import smppgw.intake.InvalidRequestException;
import smppgw.metrics.Metrics;
import smppgw.store.MessageStore;
import smppgw.model.OptOut;

/**
 * {@code /v1/optouts}: the suppression list. {@code GET} lists it (paged by number) or looks one number up,
 * {@code POST {"number": ...}} adds one, {@code DELETE /v1/optouts/{number}} removes one. Changes are
 * answered once journaled; the list is the gateway's, shared by every client.
 */
final class OptOutRoutes {
    private static final int MAX_PAGE = 1000;

    private final MessageStore store;
    private final Intake intake;
    private final Metrics metrics;

    OptOutRoutes(MessageStore store, Intake intake, Metrics metrics) {
        this.store = store;
        this.intake = intake;
        this.metrics = metrics;
    }

    CompletableFuture<AdminRoutes.Answer> handle(FullHttpRequest req, QueryStringDecoder uri, String client) {
        String path = uri.path();
        HttpMethod m = req.method();
        if (path.equals("/v1/optouts")) {
            if (m.equals(HttpMethod.GET)) {
                return done(HttpResponseStatus.OK, page(uri));
            }
            if (m.equals(HttpMethod.POST)) {
                JsonNode body = MessageRequests.body(req);
                JsonNode n = body.get("number");
                if (n == null || !n.isTextual() || body.size() != 1) {
                    throw InvalidRequestException.field("number", "expected {\"number\": \"+33612345678\"} and nothing else");
                }
                String number = intake.number("number", n.textValue());
                OptOut existing = store.optOut(number).orElse(null);
                if (existing != null) {
                    return done(HttpResponseStatus.OK, json(existing));
                }
                OptOut o = new OptOut(number, true, intake.clock().millis(), "api", client.isEmpty() ? "-" : client, null);
                metrics.optOuts.labelValues("api", "out").inc();
                return store.recordOptOut(o).thenApply(v -> new AdminRoutes.Answer(HttpResponseStatus.CREATED, json(o)));
            }
            throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or POST");
        }
        String number = intake.number("number", path.substring("/v1/optouts/".length()));
        OptOut existing = store.optOut(number).orElse(null);
        if (m.equals(HttpMethod.GET)) {
            return existing == null ? notListed(number) : done(HttpResponseStatus.OK, json(existing));
        }
        if (m.equals(HttpMethod.DELETE)) {
            if (existing == null) {
                return notListed(number);
            }
            OptOut in = new OptOut(number, false, intake.clock().millis(), "api", client.isEmpty() ? "-" : client, null);
            metrics.optOuts.labelValues("api", "in").inc();
            return store.recordOptOut(in).thenApply(v -> new AdminRoutes.Answer(HttpResponseStatus.OK,
                    Json.MAPPER.createObjectNode().put("number", number).put("opted_out", false)));
        }
        throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or DELETE");
    }

    private ObjectNode page(QueryStringDecoder uri) {
        List<String> after = uri.parameters().get("after");
        List<String> limitParam = uri.parameters().get("limit");
        int limit = 100;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam.get(0));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw InvalidRequestException.field("limit", "limit must be 1 to " + MAX_PAGE);
            }
        }
        List<OptOut> list = store.optOuts(after == null ? null : after.get(0), limit);
        ObjectNode out = Json.MAPPER.createObjectNode();
        list.forEach(o -> out.withArray("optouts").add(json(o)));
        if (list.isEmpty()) {
            out.putArray("optouts");
        }
        if (list.size() == limit) {
            out.put("next", list.get(list.size() - 1).number()); // pass as ?after= for the next page
        }
        return out;
    }

    static ObjectNode json(OptOut o) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("number", o.number());
        n.put("opted_out", true);
        n.put("at", Json.time(o.at()));
        n.put("source", o.source());
        n.put(o.source().equals("mo") ? "keyword" : "client", o.detail());
        if (o.to() != null) {
            n.put("sent_to", o.to());
        }
        return n;
    }

    private static CompletableFuture<AdminRoutes.Answer> notListed(String number) {
        return done(HttpResponseStatus.NOT_FOUND, Json.error("not_found", "number", number + " is not on the suppression list"));
    }

    private static CompletableFuture<AdminRoutes.Answer> done(HttpResponseStatus status, ObjectNode body) {
        return CompletableFuture.completedFuture(new AdminRoutes.Answer(status, body));
    }
}
