package smppgw.store.chronicle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import smppgw.store.CampaignSettings;
import smppgw.store.Event;
import smppgw.store.Inbound;
import smppgw.store.Message;
import smppgw.store.OptOut;
import smppgw.store.Receipt;

/**
 * One record of the journal, the source of truth everything else is derived from. On disk: a kind byte,
 * then the payload: {@code A} message JSON, {@code E} id NUL operator NUL event JSON, {@code R} receipt
 * JSON, {@code I} inbound JSON, {@code O} opt-out JSON, {@code C} campaign settings JSON. Each payload is encoded once and its bytes reused for the queue entry and
 * the state database.
 */
record JournalEntry(Kind kind, String id, String op, Message message, Event event, Receipt receipt, Inbound inbound,
                    OptOut optOut, CampaignSettings campaign, byte[] payload) {
    enum Kind {
        ACCEPTED('A'), EVENT('E'), RECEIPT('R'), INBOUND('I'), OPT_OUT('O'), CAMPAIGN('C');

        final byte code;

        Kind(char code) {
            this.code = (byte) code;
        }
    }

    static JournalEntry accepted(Message m) {
        return new JournalEntry(Kind.ACCEPTED, m.id(), m.operator(), m, null, null, null, null, null, Codec.write(m));
    }

    static JournalEntry event(String id, String op, Event e) {
        return new JournalEntry(Kind.EVENT, id, op, null, e, null, null, null, null, Codec.write(e));
    }

    static JournalEntry receipt(Receipt r) {
        return new JournalEntry(Kind.RECEIPT, null, r.operator(), null, null, r, null, null, null, Codec.write(r));
    }

    static JournalEntry optOut(OptOut o) {
        return new JournalEntry(Kind.OPT_OUT, null, null, null, null, null, null, o, null, Codec.write(o));
    }

    static JournalEntry campaign(CampaignSettings c) {
        return new JournalEntry(Kind.CAMPAIGN, null, null, null, null, null, null, null, c, Codec.write(c));
    }

    static JournalEntry inbound(Inbound i) {
        return new JournalEntry(Kind.INBOUND, i.id(), i.operator(), null, null, null, i, null, null, Codec.write(i));
    }

    /** The record as the journal stores it. */
    byte[] encode() {
        byte[] head = kind == Kind.EVENT ? (id + '\u0000' + op + '\u0000').getBytes(StandardCharsets.UTF_8) : new byte[0];
        byte[] out = new byte[1 + head.length + payload.length];
        out[0] = kind.code;
        System.arraycopy(head, 0, out, 1, head.length);
        System.arraycopy(payload, 0, out, 1 + head.length, payload.length);
        return out;
    }

    /**
     * The record, or null (logged) when it cannot be read: a write torn by a crash or by a disk that filled up under an
     * older version. Such a record was never acknowledged to anyone, so leaving it out loses nothing that was accepted.
     */
    static JournalEntry readable(long index, byte[] data) {
        try {
            if (data.length == 0) {
                throw new IllegalStateException("empty record");
            }
            return decode(data);
        } catch (RuntimeException e) {
            LOG.error("journal record {} cannot be read and is left out ({}): {}", Long.toHexString(index), Codec.describe(data),
                    e.getClass().getSimpleName());
            UNREADABLE.incrementAndGet();
            return null;
        }
    }

    /** Records left out because they could not be read, since start. */
    static final java.util.concurrent.atomic.AtomicLong UNREADABLE = new java.util.concurrent.atomic.AtomicLong();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalEntry.class);

    static JournalEntry decode(byte[] data) {
        byte k = data[0];
        if (k == Kind.EVENT.code) {
            int a = indexOf(data, 1);
            int b = indexOf(data, a + 1);
            String id = new String(data, 1, a - 1, StandardCharsets.UTF_8);
            String op = new String(data, a + 1, b - a - 1, StandardCharsets.UTF_8);
            byte[] payload = Arrays.copyOfRange(data, b + 1, data.length);
            return new JournalEntry(Kind.EVENT, id, op, null, Codec.read(payload, Event.class), null, null, null, null, payload);
        }
        byte[] payload = Arrays.copyOfRange(data, 1, data.length);
        if (k == Kind.ACCEPTED.code) {
            Message m = Codec.read(payload, Message.class);
            return new JournalEntry(Kind.ACCEPTED, m.id(), m.operator(), m, null, null, null, null, null, payload);
        }
        if (k == Kind.RECEIPT.code) {
            Receipt r = Codec.read(payload, Receipt.class);
            return new JournalEntry(Kind.RECEIPT, null, r.operator(), null, null, r, null, null, null, payload);
        }
        if (k == Kind.INBOUND.code) {
            Inbound i = Codec.read(payload, Inbound.class);
            return new JournalEntry(Kind.INBOUND, i.id(), i.operator(), null, null, null, i, null, null, payload);
        }
        if (k == Kind.OPT_OUT.code) {
            return new JournalEntry(Kind.OPT_OUT, null, null, null, null, null, null, Codec.read(payload, OptOut.class), null, payload);
        }
        if (k == Kind.CAMPAIGN.code) {
            return new JournalEntry(Kind.CAMPAIGN, null, null, null, null, null, null, null, Codec.read(payload, CampaignSettings.class), payload);
        }
        throw new IllegalStateException("unknown journal record kind " + (char) k);
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        throw new IllegalStateException("malformed event record");
    }
}
