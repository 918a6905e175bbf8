package smppgw.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

import smppgw.model.Consent;
import smppgw.model.Inbound;
import smppgw.model.OptOut;
import smppgw.store.MessageStore;

/**
 * The confirmation a consumer gets when their STOP puts them on a list ({@code compliance.opt-out-reply},
 * {@code clients[].opt-out-reply} per client; off unless configured): one transactional message from the number they
 * wrote to, exempt from the lists, quiet hours and the cap. Once: only when the STOP changed the list (a second STOP to
 * a number already on it gets nothing), and its client_ref ({@code opt-out-reply:<mo id>}) makes a retry the same
 * message.
 */
public final class OptOutReplies {
    private static final Logger LOG = LoggerFactory.getLogger(OptOutReplies.class);

    private final Intake intake;
    private final MessageStore store;
    /** Client → its confirmation text (null: the gateway's, {@code compliance.opt-out-reply}, or none). */
    private final Function<String, String> texts;

    public OptOutReplies(Intake intake, MessageStore store, Function<String, String> texts) {
        this.intake = intake;
        this.store = store;
        this.texts = texts;
    }

    /** A handset message as journaled: if it opted the number out of a list just now, confirm it (where configured). */
    public void journaled(Inbound mo) {
        OptOut o = mo.optOut();
        if (o == null || !o.out() || mo.to() == null) {
            return;
        }
        for (String list : o.lists()) {
            String client = list == null ? "" : list;
            String text = texts.apply(client);
            Consent c = text == null ? null : store.consent(list, o.number()).orElse(null);
            if (c == null || !c.optedOut() || c.since() != o.at()) {
                continue; // not configured, or it was on the list already: confirmed then
            }
            try {
                store.accept(List.of(intake.optOutReply(client, o.number(), mo.to(), text, "opt-out-reply:" + mo.id())))
                        .whenComplete((r, err) -> {
                            if (err != null) {
                                LOG.warn("[mo:{}] opt-out confirmation not accepted: {}", mo.id(), err.toString());
                            }
                        });
            } catch (InvalidRequestException e) {
                LOG.warn("[mo:{}] opt-out confirmation not sent: {}", mo.id(), e.getMessage());
            }
        }
    }
}
