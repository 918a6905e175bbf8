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
import smppgw.model.Consent;
import smppgw.model.OptOut;
import smppgw.store.MessageStore;

/**
 * The suppression lists: one per client, and the gateway's own.
 * <p>
 * {@code /v1/optouts} is the calling client's list only: {@code GET} lists it (paged by number) or shows one number with
 * its history, {@code POST {"number": ...}} adds one, {@code DELETE /v1/optouts/{number}} removes one the client added.
 * A number the consumer put there (a STOP) comes off only by the consumer's START, or by the client with a reference to
 * the consent it recorded ({@code {"consent_ref": "..."}}, journaled in the entry's history). Another client's entries
 * do not exist for it (404).
 * <p>
 * {@code /admin/optouts} sees every list: {@code GET ?list=} (a client's name; {@code gateway}, the default, the
 * gateway's own list, which no client's traffic may reach), {@code GET /admin/optouts/{number}} (the number on every
 * list), {@code POST {"number": ..., "list": ...}}, {@code DELETE /admin/optouts/{number}?list=}.
 * Changes are answered once journaled.
 */
final class OptOutRoutes {
    private static final int MAX_PAGE = 1000;
    private static final String GATEWAY = "gateway";

    private final MessageStore store;
    private final Intake intake;
    private final Metrics metrics;
    /** Every client's name (their lists), for the admin's view of a number. */
    private final java.util.function.Supplier<List<String>> clients;

    OptOutRoutes(MessageStore store, Intake intake, Metrics metrics, java.util.function.Supplier<List<String>> clients) {
        this.store = store;
        this.intake = intake;
        this.metrics = metrics;
        this.clients = clients;
    }

    /** {@code /v1/optouts...} for {@code client} ("" when the gateway has no clients configured). */
    CompletableFuture<AdminRoutes.Answer> handle(FullHttpRequest req, QueryStringDecoder uri, String client) {
        String path = uri.path();
        HttpMethod m = req.method();
        if (path.equals("/v1/optouts")) {
            if (m.equals(HttpMethod.GET)) {
                return done(HttpResponseStatus.OK, page(client, uri, false));
            }
            if (m.equals(HttpMethod.POST)) {
                JsonNode body = MessageRequests.body(req);
                JsonNode n = body.get("number");
                if (n == null || !n.isTextual() || body.size() != 1) {
                    throw InvalidRequestException.field("number", "expected {\"number\": \"+33612345678\"} and nothing else");
                }
                return add(client, intake.number("number", n.textValue()), "api", client);
            }
            throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or POST");
        }
        String number = intake.number("number", path.substring("/v1/optouts/".length()));
        Consent c = store.consent(client, number).orElse(null);
        if (m.equals(HttpMethod.GET)) {
            return c == null ? notListed(number) : done(HttpResponseStatus.OK, json(c, true, false));
        }
        if (m.equals(HttpMethod.DELETE)) {
            if (c == null || !c.optedOut()) {
                return notListed(number);
            }
            String consentRef = consentRef(req);
            if ("mo".equals(c.origin()) && consentRef == null) {
                throw new InvalidRequestException(409, "consent_required", "consent_ref", number + " asked to stop (a keyword the consumer sent"
                        + " at " + Json.time(c.since()) + "): it comes off your list by the consumer's START, or by DELETE with"
                        + " {\"consent_ref\": \"...\"} naming the consent you recorded");
            }
            if ("admin".equals(c.origin())) {
                throw new InvalidRequestException(409, "operator_entry", "number", number + " was listed by the gateway's operator;"
                        + " only the operator can remove it");
            }
            return remove(number, "api", client, client, consentRef);
        }
        throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or DELETE");
    }

    /** {@code /admin/optouts...}: every list. */
    CompletableFuture<AdminRoutes.Answer> handleAdmin(FullHttpRequest req, QueryStringDecoder uri) {
        String path = uri.path();
        HttpMethod m = req.method();
        if (path.equals("/admin/optouts")) {
            if (m.equals(HttpMethod.GET)) {
                return done(HttpResponseStatus.OK, page(list(uri.parameters().get("list")), uri, true));
            }
            if (m.equals(HttpMethod.POST)) {
                JsonNode body = MessageRequests.body(req);
                JsonNode n = body.get("number");
                JsonNode l = body.get("list");
                if (n == null || !n.isTextual() || (l != null && !l.isTextual()) || body.size() != (l == null ? 1 : 2)) {
                    throw InvalidRequestException.field("number", "expected {\"number\": \"+33612345678\"} and optionally \"list\":"
                            + " a client's name (default: the gateway's own list)");
                }
                return add(list(l == null ? null : List.of(l.textValue())), intake.number("number", n.textValue()), "admin", "admin");
            }
            throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or POST");
        }
        if (!path.startsWith("/admin/optouts/")) {
            throw new InvalidRequestException(404, "not_found", null, "no admin resource " + m + " " + path);
        }
        String number = intake.number("number", path.substring("/admin/optouts/".length()));
        if (m.equals(HttpMethod.GET)) {
            ObjectNode out = Json.MAPPER.createObjectNode().put("number", number);
            var lists = out.putArray("lists");
            java.util.List<String> names = new java.util.ArrayList<>();
            names.add(null);
            names.add("");
            names.addAll(clients.get());
            for (String name : names) {
                store.consent(name, number).ifPresent(c -> lists.add(json(c, true, true)));
            }
            return done(lists.isEmpty() ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK, lists.isEmpty()
                    ? Json.error("not_found", "number", number + " is on no list") : out);
        }
        if (m.equals(HttpMethod.DELETE)) {
            String list = list(uri.parameters().get("list"));
            Consent c = store.consent(list, number).orElse(null);
            if (c == null || !c.optedOut()) {
                return notListed(number);
            }
            return remove(number, "admin", "admin", list, consentRef(req));
        }
        throw new InvalidRequestException(405, "method_not_allowed", null, m + " " + path + ": use GET or DELETE");
    }

    /** {@code ?list=}: a client's name, or (absent, {@code gateway}) the gateway's own list, null. */
    private String list(List<String> param) {
        String l = param == null || param.isEmpty() ? GATEWAY : param.get(0);
        if (l.equals(GATEWAY)) {
            return null;
        }
        if (!l.isEmpty() && !clients.get().contains(l)) {
            throw InvalidRequestException.field("list", "no client " + l + " (lists: gateway, or a client's name)");
        }
        return l;
    }

    private CompletableFuture<AdminRoutes.Answer> add(String list, String number, String source, String by) {
        Consent existing = store.consent(list, number).orElse(null);
        if (existing != null && existing.optedOut()) {
            return done(HttpResponseStatus.OK, json(existing, false, "admin".equals(source)));
        }
        OptOut o = new OptOut(number, true, intake.clock().millis(), source, by.isEmpty() ? "-" : by, null,
                list == null ? null : List.of(list), null);
        metrics.optOuts.labelValues(source, "out").inc();
        return store.recordOptOut(o).thenApply(v -> new AdminRoutes.Answer(HttpResponseStatus.CREATED,
                json(store.consent(list, number).orElseThrow(), false, "admin".equals(source))));
    }

    private CompletableFuture<AdminRoutes.Answer> remove(String number, String source, String by, String list, String consentRef) {
        OptOut in = new OptOut(number, false, intake.clock().millis(), source, by.isEmpty() ? "-" : by, null,
                list == null ? null : List.of(list), consentRef);
        metrics.optOuts.labelValues(source, "in").inc();
        return store.recordOptOut(in).thenApply(v -> {
            ObjectNode out = Json.MAPPER.createObjectNode().put("number", number).put("opted_out", false);
            if (consentRef != null) {
                out.put("consent_ref", consentRef);
            }
            return new AdminRoutes.Answer(HttpResponseStatus.OK, out);
        });
    }

    /** A DELETE's optional body: {@code {"consent_ref": "..."}} (1 to 200 characters), nothing else. */
    private static String consentRef(FullHttpRequest req) {
        if (req.content().readableBytes() == 0) {
            return null;
        }
        JsonNode body = MessageRequests.body(req);
        JsonNode r = body.get("consent_ref");
        if (r == null || !r.isTextual() || r.textValue().isBlank() || r.textValue().length() > 200 || body.size() != 1) {
            throw InvalidRequestException.field("consent_ref", "expected {\"consent_ref\": \"...\"} (1 to 200 characters) and nothing else");
        }
        return r.textValue();
    }

    private ObjectNode page(String list, QueryStringDecoder uri, boolean admin) {
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
        List<Consent> entries = store.optOuts(list, after == null ? null : after.get(0), limit);
        ObjectNode out = Json.MAPPER.createObjectNode();
        var array = out.putArray("optouts");
        entries.forEach(c -> array.add(json(c, false, admin)));
        if (entries.size() == limit) {
            out.put("next", entries.get(entries.size() - 1).number()); // pass as ?after= for the next page
        }
        return out;
    }

    /**
     * An entry: the number, whether it is on the list, since when, who put it there ({@code source}: mo, api, admin)
     * with the keyword and where it was sent, or the client; with {@code history}, every change.
     */
    static ObjectNode json(Consent c, boolean history, boolean admin) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("number", c.number());
        if (admin) {
            n.put("list", c.client() == null ? GATEWAY : c.client());
        }
        n.put("opted_out", c.optedOut());
        n.put("at", Json.time(c.since()));
        n.put("source", c.origin());
        OptOut first = c.history().stream().filter(o -> o.out() && o.at() == c.since()).findFirst().orElse(null);
        if (first != null) {
            n.put("mo".equals(first.source()) ? "keyword" : "client", first.detail());
            if (first.to() != null) {
                n.put("sent_to", first.to());
            }
        }
        if (!c.senders().isEmpty()) {
            c.senders().forEach(s -> n.withArray("stopped_senders").add(s));
        }
        if (history) {
            var h = n.putArray("history");
            for (OptOut o : c.history()) {
                ObjectNode e = h.addObject().put("at", Json.time(o.at())).put("opted_out", o.out()).put("source", o.source());
                e.put("mo".equals(o.source()) ? "keyword" : "by", o.detail());
                if (o.to() != null) {
                    e.put("sent_to", o.to());
                }
                if (o.consentRef() != null) {
                    e.put("consent_ref", o.consentRef());
                }
            }
        }
        return n;
    }

    private static CompletableFuture<AdminRoutes.Answer> notListed(String number) {
        return done(HttpResponseStatus.NOT_FOUND, Json.error("not_found", "number", number + " is not on your suppression list"));
    }

    private static CompletableFuture<AdminRoutes.Answer> done(HttpResponseStatus status, ObjectNode body) {
        return CompletableFuture.completedFuture(new AdminRoutes.Answer(status, body));
    }
}
