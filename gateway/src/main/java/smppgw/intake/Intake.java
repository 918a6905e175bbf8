package smppgw.intake;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import smppgw.route.Router;
import smppgw.store.AcceptResult;
import smppgw.store.MessageStore;
import smppgw.store.NewMessage;
import smppgw.text.EncodedText;

/**
 * The one way in for a message, whatever the interface: validate, normalise, route, then store. The
 * future completes only once the message is durably stored; nothing is stored for a refused request.
 */
public final class Intake {
    public static final int MAX_SEGMENTS = 10;
    public static final int MAX_CLIENT_REF = 64;

    private final MessageStore store;
    private final Router router;
    private final String defaultCountryCode;
    private final Consumer<String> onQueued;

    public Intake(MessageStore store, Router router, String defaultCountryCode, Consumer<String> onQueued) {
        this.store = store;
        this.router = router;
        this.defaultCountryCode = defaultCountryCode;
        this.onQueued = onQueued;
    }

    /** What an integrator asks to send, before validation. */
    public record Request(String client, String to, String from, String text, String clientRef) {
    }

    /** Validates and routes; throws {@link InvalidRequestException} with the field at fault. */
    public NewMessage validate(Request r) {
        String to = PhoneNumbers.normalize("to", r.to(), defaultCountryCode);
        String from = PhoneNumbers.sender(r.from(), defaultCountryCode);
        if (r.text() == null || r.text().isEmpty()) {
            throw InvalidRequestException.field("text", "text is required and must not be empty");
        }
        EncodedText t = EncodedText.of(r.text());
        if (t.segments() > MAX_SEGMENTS) {
            throw InvalidRequestException.field("text", "text needs " + t.segments() + " segments ("
                    + (t.isGsm() ? "GSM 03.38" : "UCS-2") + ", " + t.units() + " characters); the limit is " + MAX_SEGMENTS);
        }
        String ref = r.clientRef();
        if (ref != null && (ref.isEmpty() || ref.length() > MAX_CLIENT_REF)) {
            throw InvalidRequestException.field("client_ref", "client_ref must be 1 to " + MAX_CLIENT_REF + " characters");
        }
        String operator = router.route(to);
        if (operator == null) {
            throw new InvalidRequestException(422, "no_route", "to", "no operator serves " + to + " and no default operator is configured");
        }
        return new NewMessage(operator, r.client() == null ? "" : r.client(), ref, from, to, r.text());
    }

    /** Stores already-validated messages in one write; results in order. */
    public CompletableFuture<List<AcceptResult>> accept(List<NewMessage> messages) {
        return store.accept(messages).thenApply(results -> {
            messages.stream().map(NewMessage::operator).distinct().forEach(onQueued);
            return results;
        });
    }
}
