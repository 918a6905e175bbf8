package smppgw.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.EventType;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.MessageView;
import smppgw.model.NewMessage;
import smppgw.store.MessageStore;

/**
 * Campaign follow-ups: every {@code every} it walks the campaigns that have a {@code follow_up}, and for each first
 * message delivered at least {@code after} ago sends the recipient's follow-up text — unless the message was read
 * ({@code unless: read}: a person's READ, any via) or converted ({@code unless: converted}: a promo code redeemed), or
 * the recipient opted out meanwhile (refused by the same rules as any message). The follow-up is a message of the
 * campaign, of the same variant, marked {@code follow_up}; its client_ref derives from the campaign and the number, so
 * it is sent once even across restarts. A message that never got a DELIVRD receipt gets no follow-up.
 */
public final class FollowUps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FollowUps.class);

    private final MessageStore store;
    private final Intake intake;
    /** Messages decided for good (followed up, read, opted out, failed), per client and campaign: skipped by later walks. */
    private final Map<String, Set<String>> decided = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smppgw-follow-ups");
        t.setDaemon(true);
        return t;
    });

    public FollowUps(MessageStore store, Intake intake) {
        this.store = store;
        this.intake = intake;
    }

    public FollowUps start(long everyMs) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                walk();
            } catch (RuntimeException e) {
                LOG.warn("follow-ups: {} (trying again in {} ms)", e.toString(), everyMs);
            }
        }, everyMs, everyMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One walk over every campaign with a follow-up; the follow-ups it sent. */
    public int walk() {
        int sent = 0;
        for (CampaignSettings c : store.campaigns()) {
            if (c.followUp() != null && c.cancelledAt() == null && c.pausedAt() == null) {
                sent += walk(c);
            }
        }
        return sent;
    }

    private int walk(CampaignSettings c) {
        long now = intake.clock().millis();
        Set<String> done = decided.computeIfAbsent(c.client() + '\u0000' + c.campaign(), k -> ConcurrentHashMap.newKeySet());
        List<NewMessage> due = new ArrayList<>();
        List<String> dueIds = new ArrayList<>();
        String refStem = CampaignUpload.clientRefStem("fu", c.campaign());
        store.forCampaign(c.campaign(), id -> {
            if (done.contains(id)) {
                return;
            }
            MessageView v = store.find(id).orElse(null);
            if (v == null) {
                return;
            }
            Message m = v.message();
            if (!c.client().equals(m.client()) || m.isFollowUp() || m.followUpText() == null || m.to() == null) {
                done.add(id);
                return;
            }
            Long deliveredAt = null;
            boolean acted = false;
            for (Event e : v.events()) {
                if (deliveredAt == null && e.type() == EventType.RECEIPT && "DELIVRD".equals(e.stat())) {
                    deliveredAt = e.at();
                }
                if (e.type() == EventType.READ && (c.followUp().unless().equals("read") || "code".equals(e.via()))
                        || e.type() == EventType.CONVERSION) {
                    acted = true; // a conversion is an act under either rule
                }
            }
            if (acted || deliveredAt == null && v.state().isFinal()) {
                done.add(id);
                return;
            }
            if (deliveredAt == null || now < deliveredAt + c.followUp().afterMs()) {
                return; // not yet
            }
            try {
                Intake.Request r = new Intake.Request(m.client(), m.to(), m.from(), m.followUpText(),
                        refStem + m.to(), null).withCampaign(c.campaign()).withClass(m.messageClass());
                due.add(intake.validate(r).asVariant(m.variant(), true, null));
                dueIds.add(id);
            } catch (InvalidRequestException e) {
                done.add(id); // opted out meanwhile, or no longer valid: no follow-up
                LOG.debug("[msg:{}] no follow-up: {}", id, e.getMessage());
            }
        });
        if (due.isEmpty()) {
            return 0;
        }
        List<smppgw.model.AcceptResult> results = intake.acceptOwnRefs(due).join();
        int sent = 0;
        for (int i = 0; i < results.size(); i++) {
            done.add(dueIds.get(i));
            if (results.get(i).stored() && !results.get(i).duplicate()) {
                sent++;
            }
        }
        LOG.info("[client:{}] campaign {}: {} follow-up(s) sent to recipients who did not act ({} checked due)", c.client(), c.campaign(),
                sent, due.size());
        return sent;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
