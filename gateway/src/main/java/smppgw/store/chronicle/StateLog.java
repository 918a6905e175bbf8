package smppgw.store.chronicle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.MessageState;
import smppgw.model.Receipt;

/**
 * One log line per state change, bracketed fields, on logger {@code smppgw.state}:
 * {@code [msg:01J...] [op:orange] [smsc-id:39f99dd5] [state:DELIVERED]}. Numbers are masked and text
 * is never logged while privacy is on.
 */
public final class StateLog {
    private static final Logger LOG = LoggerFactory.getLogger("smppgw.state");
    private final boolean privacy;
    private final boolean enabled;
    private volatile boolean quiet;

    public StateLog(boolean privacy, boolean enabled) {
        this.privacy = privacy;
        this.enabled = enabled;
    }

    void quiet(boolean q) {
        quiet = q;
    }

    private boolean on() {
        return enabled && !quiet && LOG.isInfoEnabled();
    }

    void accepted(Message m) {
        if (on()) {
            LOG.info("[msg:{}] [op:{}] [to:{}] [from:{}] [state:ACCEPTED]", m.id(), m.operator(), number(m.to()), number(m.from()));
        }
    }

    void event(String id, String op, Event e) {
        if (!on()) {
            return;
        }
        switch (e.type()) {
            case SUBMITTED -> LOG.info("[msg:{}] [op:{}] [smsc-id:{}] [bind:{}] [state:SUBMITTED]", id, op, e.smscId(), e.bind());
            case RETRY -> LOG.info("[msg:{}] [op:{}] [attempt:{}] [status:{}] [state:ACCEPTED] retry: {}", id, op, e.attempt(),
                    hex(e.status()), e.reason());
            case FAILED -> LOG.info("[msg:{}] [op:{}] [attempt:{}] [status:{}] [state:FAILED] {}", id, op, e.attempt(),
                    hex(e.status()), e.reason());
            case RECEIPT -> {
                MessageState s = MessageState.ofReceiptStat(e.stat());
                LOG.info("[msg:{}] [op:{}] [smsc-id:{}] [stat:{}] [err:{}] [state:{}]", id, op, e.smscId(), e.stat(), e.err(),
                        s == null ? "SUBMITTED" : s);
            }
            case EXPIRED -> LOG.info("[msg:{}] [op:{}] [attempt:{}] [state:EXPIRED] {}", id, op, e.attempt(), e.reason());
            case NO_RECEIPT -> LOG.info("[msg:{}] [op:{}] [state:SUBMITTED] {}", id, op, e.reason());
            case READ -> LOG.info("[msg:{}] [op:{}] [via:{}] [state:READ]{}", id, op, e.via(), privacy ? "" : " " + e.reason());
            default -> LOG.info("[msg:{}] [op:{}] [state:{}]", id, op, e.type());
        }
    }

    void parked(Receipt r) {
        if (on()) {
            LOG.info("[op:{}] [smsc-id:{}] [stat:{}] receipt parked: no submit with this id recorded yet", r.operator(), r.smscId(), r.stat());
        }
    }

    void inbound(Inbound i) {
        if (on()) {
            LOG.info("[mo:{}] [op:{}] [from:{}] [to:{}]{}", i.id(), i.operator(), number(i.from()), number(i.to()),
                    privacy ? "" : " [text:" + i.text() + "]");
        }
    }

    private String number(String n) {
        return privacy ? mask(n) : n;
    }

    /** {@code +33612345678} becomes {@code +3361234****}: the last four digits hidden. */
    public static String mask(String number) {
        if (number == null || number.length() <= 4) {
            return number;
        }
        boolean digits = number.chars().skip(number.startsWith("+") ? 1 : 0).allMatch(Character::isDigit);
        return digits ? number.substring(0, number.length() - 4) + "****" : number;
    }

    private static String hex(Integer status) {
        return status == null ? "-" : String.format("0x%08X", status);
    }

    /** A number leaving or re-joining the suppression list (masked like every number). */
    void consent(smppgw.model.Consent c) {
        if (on()) {
            smppgw.model.OptOut o = c.history().get(c.history().size() - 1);
            LOG.info("[to:{}] [{}:{}] {} {}{}", number(c.number()), o.source(), o.detail(), c.optedOut() ? "on" : "off",
                    c.client() == null ? "the gateway's suppression list" : c.client().isEmpty() ? "the suppression list" : c.client() + "'s suppression list",
                    o.to() == null ? "" : " (sent to " + o.to() + ")");
        }
    }
}
