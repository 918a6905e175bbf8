package smppgw.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import smppgw.route.Router;
import smppgw.model.AcceptResult;
import smppgw.store.MessageStore;
import smppgw.model.NewMessage;
import smppgw.config.ComplianceConfig;
import smppgw.config.OperatorConfig;
import smppgw.config.OperatorConfig.EncodingConfig;
import smppgw.text.TextPlan;

/**
 * The one way in for a message, whatever the interface: validate, normalise, route, then store. The
 * future completes only once the message is durably stored; nothing is stored for a refused request.
 */
public final class Intake {
    public static final int MAX_CLIENT_REF = 64;

    private final MessageStore store;
    private final String defaultCountryCode;
    private final BiConsumer<String, Integer> onQueued;
    private final Backpressure backpressure;
    private volatile Routing routing;

    /** Where a number goes and how a message for each operator is cut and how long it may live; replaced whole on reload. */
    private record Routing(Router router, Map<String, Duration> validity, Map<String, EncodingConfig> encodings) {
        static Routing of(List<OperatorConfig> operators) {
            Map<String, Duration> validity = new HashMap<>();
            Map<String, EncodingConfig> encodings = new HashMap<>();
            operators.forEach(o -> {
                validity.put(o.name(), o.validity());
                encodings.put(o.name(), o.encoding());
            });
            return new Routing(new Router(operators), validity, encodings);
        }

        EncodingConfig encoding(String operator) {
            return encodings.getOrDefault(operator, EncodingConfig.DEFAULT);
        }
    }

    /** Per client: whether its transactional and conversational messages to a number on its list are refused too. */
    private volatile java.util.function.Predicate<String> blockTransactional;
    /** Appended to promotional texts that carry no opt-out instruction; null for none. */
    private final String footer;
    private final smppgw.policy.Keywords keywords;
    /** Where tracking links point ({@code tracking.base-url}), or null when link tracking is not configured. */
    private final String linkBase;
    private final smppgw.track.TrackingLinks trackingLinks = new smppgw.track.TrackingLinks();
    /** Quiet hours: when each class may reach a recipient, and in which time zone a number lives. */
    private final Map<String, smppgw.policy.SendWindow> windows;
    private final smppgw.policy.TimeZones zones;
    /** What {@code {promo}} in a text becomes. */
    private volatile smppgw.model.Promo promo;
    /** Null unless this core is a shard of a sharded group ({@link #clientRefs}). */
    private volatile ClientRefs refs;
    /** The frequency cap promotional messages must fit, or null for none. */
    private final smppgw.model.Cap cap;

    private final java.time.Clock clock;

    public Intake(MessageStore store, List<OperatorConfig> operators, String defaultCountryCode, ComplianceConfig compliance,
                  smppgw.config.GatewayConfig.TrackingConfig tracking, Backpressure backpressure, BiConsumer<String, Integer> onQueued,
                  java.time.Clock clock) {
        this.clock = clock;
        this.linkBase = tracking.baseUrl();
        this.windows = compliance.sendWindows();
        this.zones = new smppgw.policy.TimeZones(compliance.timeZones(), compliance.defaultTimeZone());
        this.promo = new smppgw.model.Promo(tracking.promoAlphabet(), tracking.promoLength());
        this.store = store;
        boolean block = compliance.blockTransactional();
        this.blockTransactional = c -> block;
        this.footer = compliance.footer();
        this.cap = compliance.capMax() > 0 ? new smppgw.model.Cap(compliance.capMax(), compliance.capPeriod().toMillis(),
                compliance.capDefer(), t -> t) : null;
        this.keywords = new smppgw.policy.Keywords(compliance.optOutKeywords(), compliance.optInKeywords());
        this.routing = Routing.of(operators);
        this.defaultCountryCode = defaultCountryCode;
        this.backpressure = backpressure;
        this.onQueued = onQueued;
    }

    /** Per client ({@code clients[].block-transactional}, else {@code compliance.block-transactional}). */
    public Intake blockTransactional(java.util.function.Predicate<String> perClient) {
        this.blockTransactional = perClient;
        return this;
    }

    /** Applies reloaded operators: prefixes, the default operator, validity and encoding, from the next request on. */
    public void reconfigure(List<OperatorConfig> operators) {
        routing = Routing.of(operators);
    }

    /**
     * What an integrator asks to send, before validation.
     *
     * @param validity how long it may still be sent: seconds, or a duration such as {@code 30m}, {@code 48h}; null for the operator's default
     */
    public record Request(String client, String to, String from, String text, String clientRef, String validity, int receipt,
                          String encoding, String messageClass, Boolean trackLinks, String campaign, String sendAt, String timeZone) {
        public Request(String client, String to, String from, String text, String clientRef, String validity) {
            this(client, to, from, text, clientRef, validity, 0, null, null, null, null, null, null);
        }

        /** Not before {@code at} (ISO-8601 instant), judged in {@code zone} for quiet hours (null: the number's). */
        public Request withSchedule(String at, String zone) {
            return new Request(client, to, from, text, clientRef, validity, receipt, encoding, messageClass, trackLinks, campaign, at, zone);
        }

        /** Part of campaign {@code c} (a free string, for reports). */
        public Request withCampaign(String c) {
            return new Request(client, to, from, text, clientRef, validity, receipt, encoding, messageClass, trackLinks, c, sendAt, timeZone);
        }

        /** With every URL of the text replaced by a tracking link ({@code track_links}); null: as its campaign says (else not). */
        public Request withTrackLinks(Boolean t) {
            return new Request(client, to, from, text, clientRef, validity, receipt, encoding, messageClass, t, campaign, sendAt, timeZone);
        }

        /** {@code transactional} (null, the default), {@code promotional} or {@code conversational}. */
        public Request withClass(String c) {
            return new Request(client, to, from, text, clientRef, validity, receipt, encoding, c, trackLinks, campaign, sendAt, timeZone);
        }

        /** With SMPP registered_delivery bits 0-1: 1 a receipt for every final state, 2 only for failures. */
        public Request withReceipt(int registeredDelivery) {
            return new Request(client, to, from, text, clientRef, validity, registeredDelivery, encoding, messageClass, trackLinks, campaign, sendAt, timeZone);
        }

        public Request withText(String t) {
            return new Request(client, to, from, t, clientRef, validity, receipt, encoding, messageClass, trackLinks, campaign, sendAt, timeZone);
        }

        /** {@code gsm7}, {@code ucs2} or {@code auto} (null). */
        public Request withEncoding(String e) {
            return new Request(client, to, from, text, clientRef, validity, receipt, e, messageClass, trackLinks, campaign, sendAt, timeZone);
        }
    }

    /** Client → the class its messages get when they name none (null: transactional). Set once at start; follows reloads. */
    private volatile java.util.function.UnaryOperator<String> defaultClass = c -> null;

    public void defaultClasses(java.util.function.UnaryOperator<String> byClient) {
        this.defaultClass = byClient;
    }

    /**
     * The shard of a sharded group this intake's core runs (docs/cluster.md): its tracking links' tokens and promo codes are
     * drawn among those whose {@link smppgw.route.Shards#ofCode} is that shard, so any node can tell where a code belongs.
     */
    public Intake shard(int shard, int shards) {
        trackingLinks.forShard(shard, shards);
        promo = new smppgw.model.Promo(promo.alphabet(), promo.length(), shard, shards);
        return this;
    }

    /** True if tracking links can be made ({@code tracking.base-url} is set). */
    public boolean linksConfigured() {
        return linkBase != null;
    }

    /** A phone number as the API takes it, in E.164 ({@code +33612345678}); a 400 naming {@code field} if it is not one. */
    public String number(String field, String raw) {
        return PhoneNumbers.normalize(field, raw, defaultCountryCode);
    }

    /** Validates and routes; throws {@link InvalidRequestException} with the field at fault. */
    public NewMessage validate(Request r) {
        return validate(r, false);
    }

    /**
     * The confirmation of an opt-out ({@code compliance.opt-out-reply}): a transactional message to the number that just
     * opted out, from the number it wrote to, exempt from the lists, quiet hours and the cap; {@code clientRef} makes it
     * once only.
     */
    public NewMessage optOutReply(String client, String to, String from, String text, String clientRef) {
        return validate(new Request(client, to, from, text, clientRef, null).withClass(smppgw.model.Message.TRANSACTIONAL), true);
    }

    private NewMessage validate(Request r, boolean exempt) {
        String to = PhoneNumbers.normalize("to", r.to(), defaultCountryCode);
        String from = PhoneNumbers.sender(r.from(), defaultCountryCode);
        if (r.text() == null || r.text().isEmpty()) {
            throw InvalidRequestException.field("text", "text is required and must not be empty");
        }
        if (r.campaign() != null && (r.campaign().isBlank() || r.campaign().length() > 64)) {
            throw InvalidRequestException.field("campaign", "campaign must be 1 to 64 characters");
        }
        String messageClass = RequestFields.messageClass(r.messageClass() != null ? r.messageClass() : defaultClass.apply(r.client() == null ? "" : r.client()));
        boolean promotional = smppgw.model.Message.PROMOTIONAL.equals(messageClass);
        java.util.Map<String, String> links = null;
        boolean campaignTracks = r.trackLinks() == null && r.campaign() != null
                && store.campaign(r.client() == null ? "" : r.client(), r.campaign()).map(smppgw.model.CampaignSettings::trackLinks).orElse(false);
        if (Boolean.TRUE.equals(r.trackLinks()) || campaignTracks) {
            if (linkBase == null) {
                throw InvalidRequestException.field("track_links", (campaignTracks ? "campaign " + r.campaign() + " tracks links, which" : "track_links")
                        + " needs tracking.base-url in the gateway's configuration");
            }
            smppgw.track.TrackingLinks.Rewritten rw = trackingLinks.rewrite(r.text(), linkBase);
            r = r.withText(rw.text()); // lengths and segments below count the short links
            links = rw.links();
        }
        if (promotional && footer != null && !keywords.mentionsOptOut(r.text())) {
            r = r.withText(r.text() + "\n" + footer); // counted in the length and segments below
        }
        String encoding = RequestFields.encoding(r);
        String ref = r.clientRef();
        if (ref != null && (ref.isEmpty() || ref.length() > MAX_CLIENT_REF)) {
            throw InvalidRequestException.field("client_ref", "client_ref must be 1 to " + MAX_CLIENT_REF + " characters");
        }
        Routing routes = routing;
        String operator = routes.router().route(to);
        if (operator == null) {
            throw new InvalidRequestException(422, "no_route", "to", "no operator serves " + to + " and no default operator is configured");
        }
        EncodingConfig enc = routes.encoding(operator);
        smppgw.model.Promo code = r.text().contains(smppgw.model.Promo.PLACEHOLDER) ? promo : null;
        TextPlan plan = TextPlan.of(countable(r.text(), code), "ucs2".equals(encoding), enc.concatenation());
        if (plan.segments() > enc.maxSegments()) {
            throw InvalidRequestException.field("text", "text needs " + plan.segments() + " segments (" + (plan.gsm() ? "GSM 03.38" : "UCS-2")
                    + ", " + plan.units() + (plan.gsm() ? " septets" : " UTF-16 units") + "); operator " + operator + " takes at most "
                    + enc.maxSegments());
        }
        Duration validity = r.validity() == null ? routes.validity().get(operator) : Validity.parse(r.validity());
        if (!exempt) {
            refuseOptedOut(r.client() == null ? "" : r.client(), to, from, promotional);
        }
        InvalidRequestException full = backpressure.check(operator);
        if (full != null) {
            throw full;
        }
        return NewMessage.of(operator, r.client() == null ? "" : r.client(), from, to, r.text())
                .clientRef(ref)
                .validityMs(validity == null ? 0 : validity.toMillis())
                .receipt(r.receipt())
                .encoding("ucs2".equals(encoding) ? "ucs2" : null)
                .messageClass(messageClass)
                .cap(promotional ? cap(messageClass, zone(r, to)) : null)
                .links(links)
                .promo(code)
                .campaign(r.campaign())
                .sendAt(exempt ? null : sendAt(r, to, messageClass))
                .build();
    }

    /**
     * Refuses (409 {@code opted_out}) a message the number's lists forbid: the client's own list (a STOP the consumer
     * sent it, or a number it listed) and the gateway's. Promotional messages always; every class from a sender the
     * consumer sent STOP to, to a number on the gateway's list by the operator, and where block-transactional says so.
     */
    private void refuseOptedOut(String client, String to, String from, boolean promotional) {
        boolean blockAll = blockTransactional.test(client);
        for (String list : java.util.Arrays.asList(client, null)) {
            smppgw.model.Consent c = store.consent(list, to).orElse(null);
            if (c != null && c.refuses(promotional, from, blockAll)) {
                OptOutLast last = OptOutLast.of(c);
                throw new InvalidRequestException(409, "opted_out", "to", to + (list == null ? " is on the gateway's suppression list"
                        : " opted out of messages from " + (client.isEmpty() ? "this gateway" : client)) + " (" + last.how() + " at "
                        + java.time.Instant.ofEpochMilli(c.since()) + ")" + (promotional ? ""
                        : from != null && c.senders().contains(smppgw.model.PhoneNumber.stripPlus(from)) ? "; the consumer sent STOP to " + from
                        : blockAll ? "; block-transactional refuses every class of message to it" : ""));
            }
        }
    }

    /** How an entry got on its list, for a refusal's message. */
    private record OptOutLast(String how) {
        static OptOutLast of(smppgw.model.Consent c) {
            smppgw.model.OptOut first = c.history().stream().filter(smppgw.model.OptOut::out).filter(o -> o.at() == c.since()).findFirst()
                    .orElse(c.history().isEmpty() ? null : c.history().get(c.history().size() - 1));
            if ("mo".equals(c.origin()) && first != null && "mo".equals(first.source())) {
                return new OptOutLast("sent " + first.detail() + (first.to() == null ? "" : " to " + first.to()));
            }
            return new OptOutLast("mo".equals(c.origin()) ? "the consumer's keyword" : "admin".equals(c.origin()) ? "added by the operator"
                    : "added through the API");
        }
    }

    /** The gateway's clock: what every time intake and the APIs record is read from. */
    public java.time.Clock clock() {
        return clock;
    }

    private static final long MAX_AHEAD_MS = java.time.Duration.ofDays(30).toMillis();

    /**
     * When the message may go: not before its {@code send_at}, and inside its class's send window in the recipient's
     * time zone (the message's {@code time_zone}, else the number's). Null when that is now.
     */
    private Long sendAt(Request r, String to, String messageClass) {
        long now = clock.millis();
        long earliest = now;
        if (r.sendAt() != null) {
            try {
                earliest = Math.max(now, java.time.OffsetDateTime.parse(r.sendAt()).toInstant().toEpochMilli());
            } catch (java.time.format.DateTimeParseException e) {
                throw InvalidRequestException.field("send_at", "send_at '" + r.sendAt() + "' is not an ISO-8601 time with an offset,"
                        + " e.g. 2026-11-23T10:00:00+01:00");
            }
            if (earliest - now > MAX_AHEAD_MS) {
                throw InvalidRequestException.field("send_at", "send_at is more than 30 days ahead");
            }
        }
        java.time.ZoneId zone = zone(r, to);
        smppgw.policy.SendWindow w = windows.get(messageClass == null ? smppgw.model.Message.TRANSACTIONAL : messageClass);
        long at = w == null ? earliest : w.next(java.time.Instant.ofEpochMilli(earliest), zone).toEpochMilli();
        return at > now ? at : null;
    }

    /** The recipient's time zone: the message's {@code time_zone}, else the number's. */
    private java.time.ZoneId zone(Request r, String to) {
        try {
            return r.timeZone() != null ? java.time.ZoneId.of(r.timeZone()) : zones.of(to);
        } catch (java.time.DateTimeException e) {
            throw InvalidRequestException.field("time_zone", "time_zone '" + r.timeZone() + "' is not a time zone (e.g. Europe/Paris)");
        }
    }

    /** The cap for a promotional message; a deferred one still lands inside its class's send window. */
    private smppgw.model.Cap cap(String messageClass, java.time.ZoneId zone) {
        if (cap == null) {
            return null;
        }
        smppgw.policy.SendWindow w = windows.get(messageClass);
        return w == null ? cap : new smppgw.model.Cap(cap.max(), cap.periodMs(), cap.defer(),
                t -> w.next(java.time.Instant.ofEpochMilli(t), zone).toEpochMilli());
    }

    /** How an accepted message will travel: what the API answers with and {@code /v1/messages/preview} computes. */
    public TextPlan plan(NewMessage m) {
        EncodingConfig enc = routing.encoding(m.operator());
        return TextPlan.of(countable(m.text(), m.promo()), "ucs2".equals(m.encoding()), enc.concatenation());
    }

    /** The text as long as it will be sent: the {@code {promo}} placeholder counted as a code of the configured length. */
    private static String countable(String text, smppgw.model.Promo promo) {
        return promo == null ? text : text.replace(smppgw.model.Promo.PLACEHOLDER, "A".repeat(promo.length()));
    }

    /** Why the store did not take a message ({@link AcceptResult#refusal}), as the error integrators get. */
    public InvalidRequestException refusal(AcceptResult r, NewMessage m) {
        return AcceptRefusals.of(r, m);
    }

    /**
     * Stores messages whose client_refs derive from their own recipients (a campaign's, its follow-ups'): no other
     * recipient's message can carry them, so a sharded core holds them nowhere else.
     */
    public CompletableFuture<List<AcceptResult>> acceptOwnRefs(List<NewMessage> messages) {
        return stored(messages);
    }

    /** On a sharded core: the client_refs of other shards are held by their cores before a message is stored here. */
    public Intake clientRefs(ClientRefs refs) {
        this.refs = refs;
        return this;
    }

    /** Holds or gives back client_refs of this core's shard for other shards' messages ({@link smppgw.store.MessageStore#reserve}). */
    public CompletableFuture<List<String>> reserve(List<smppgw.model.RefReservation> reservations) {
        return store.reserve(reservations);
    }

    /** Stores already-validated messages in one write; results in order. */
    public CompletableFuture<List<AcceptResult>> accept(List<NewMessage> messages) {
        ClientRefs r = refs;
        return r == null ? stored(messages) : r.accept(messages, this::stored);
    }

    private CompletableFuture<List<AcceptResult>> stored(List<NewMessage> messages) {
        return store.accept(messages).thenApply(results -> {
            Map<String, Integer> queued = new java.util.HashMap<>();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).stored() && !results.get(i).duplicate() && messages.get(i).sendAt() == null) {
                    queued.merge(messages.get(i).operator(), 1, Integer::sum);
                }
            }
            queued.forEach(onQueued);
            return results;
        });
    }
}
