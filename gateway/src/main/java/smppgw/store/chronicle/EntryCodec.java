package smppgw.store.chronicle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import smppgw.journal.Entry;
import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.OptOut;
import smppgw.model.Receipt;

/**
 * A journal record on disk: a kind byte, then the payload: {@code A} message JSON, {@code E} id NUL operator NUL event
 * JSON, {@code R} receipt JSON, {@code I} inbound JSON, {@code O} opt-out JSON, {@code C} campaign settings JSON, {@code S}
 * notifications served JSON. The
 * payload's JSON is encoded once and its bytes reused for the queue entry and the state database.
 */
final class EntryCodec {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EntryCodec.class);
    /** Records left out because they could not be read, since start. */
    static final AtomicLong UNREADABLE = new AtomicLong();

    private EntryCodec() {
    }

    /** A record as written, and the JSON of its object. */
    record Encoded(byte[] record, byte[] json) {
    }

    /** A record as read, and the JSON of its object. */
    record Decoded(Entry entry, byte[] json) {
    }

    private static byte code(Entry.Kind k) {
        return (byte) switch (k) {
            case ACCEPTED -> 'A';
            case EVENT -> 'E';
            case RECEIPT -> 'R';
            case INBOUND -> 'I';
            case OPT_OUT -> 'O';
            case CAMPAIGN -> 'C';
            case SERVED -> 'S';
            case RESERVED -> 'V';
        };
    }

    static Encoded encode(Entry e) {
        byte[] json = Codec.write(switch (e.kind()) {
            case ACCEPTED -> e.message();
            case EVENT -> e.event();
            case RECEIPT -> e.receipt();
            case INBOUND -> e.inbound();
            case OPT_OUT -> e.optOut();
            case CAMPAIGN -> e.campaign();
            case SERVED -> e.served();
            case RESERVED -> e.reservation();
        });
        byte[] head = e.kind() == Entry.Kind.EVENT ? (e.id() + '\u0000' + e.op() + '\u0000').getBytes(StandardCharsets.UTF_8) : new byte[0];
        byte[] out = new byte[1 + head.length + json.length];
        out[0] = code(e.kind());
        System.arraycopy(head, 0, out, 1, head.length);
        System.arraycopy(json, 0, out, 1 + head.length, json.length);
        return new Encoded(out, json);
    }

    /**
     * The record, or null (logged) when it cannot be read: a write torn by a crash or by a disk that filled up under an
     * older version. Such a record was never acknowledged to anyone, so leaving it out loses nothing that was accepted.
     */
    static Decoded readable(long index, byte[] data) {
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

    static Decoded decode(byte[] data) {
        byte k = data[0];
        if (k == 'E') {
            int a = indexOf(data, 1);
            int b = indexOf(data, a + 1);
            String id = new String(data, 1, a - 1, StandardCharsets.UTF_8);
            String op = new String(data, a + 1, b - a - 1, StandardCharsets.UTF_8);
            byte[] json = Arrays.copyOfRange(data, b + 1, data.length);
            return new Decoded(Entry.event(id, op, Codec.read(json, Event.class)), json);
        }
        byte[] json = Arrays.copyOfRange(data, 1, data.length);
        Entry e = switch (k) {
            case 'A' -> Entry.accepted(Codec.read(json, Message.class));
            case 'R' -> Entry.receipt(Codec.read(json, Receipt.class));
            case 'I' -> Entry.inbound(Codec.read(json, Inbound.class));
            case 'O' -> Entry.optOut(Codec.read(json, OptOut.class));
            case 'C' -> Entry.campaign(Codec.read(json, CampaignSettings.class));
            case 'S' -> {
                Entry.Served served = Codec.read(json, Entry.Served.class);
                yield Entry.served(served.client(), served.through());
            }
            case 'V' -> Entry.reservation(Codec.read(json, smppgw.model.RefReservation.class));
            default -> throw new IllegalStateException("unknown journal record kind " + (char) k);
        };
        return new Decoded(e, json);
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
