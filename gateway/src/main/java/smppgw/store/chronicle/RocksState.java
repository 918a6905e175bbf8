package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import smppgw.journal.State;
import smppgw.model.CampaignSettings;
import smppgw.model.Event;
import smppgw.model.Inbound;
import smppgw.model.Message;
import smppgw.model.Receipt;
import smppgw.state.Change;
import smppgw.state.StateView;

/**
 * The journal thread's state on RocksDB: one {@link StateBatch} (a write batch with an index) that every read of the
 * view goes through, so a rule sees what earlier records of the batch changed. Turns {@link Change}s into keys and
 * values ({@link StateDb} holds the layouts). Keeps in memory which receipt ids have parked receipts, so a submit
 * looks for them only when some are waiting.
 */
final class RocksState implements State {
    private static final int MAX_PARKED_KEYS = 1_000_000;

    private final StateDb db;
    private final StateBatch batch;
    /** Correlation keys that have parked receipts (key → how many); past {@link #MAX_PARKED_KEYS} every submit looks. */
    private final Map<String, Integer> parkedKeys = new HashMap<>();
    private boolean parkedOverflow;

    RocksState(StateDb db) {
        this.db = db;
        this.batch = db.batch();
    }

    StateBatch batch() {
        return batch;
    }

    private static <T> T read(Read<T> r) {
        try {
            return r.get();
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database read failed: " + e.getMessage(), e);
        }
    }

    private interface Read<T> {
        T get() throws RocksDBException;
    }

    // ---- the view ----

    @Override
    public Message message(String id) {
        return read(() -> batch.message(id));
    }

    @Override
    public List<Event> events(String id) {
        return read(() -> batch.events(id));
    }

    @Override
    public String byClientRef(String client, String clientRef) {
        return read(() -> batch.ref(client + '\u0000' + clientRef));
    }

    @Override
    public String reservation(String client, String clientRef) {
        return read(() -> batch.ref(RESERVED + client + '\u0000' + clientRef));
    }

    /** Reservations share the client_ref column, under keys no client name starts with. */
    private static final char RESERVED = '\u0001';

    @Override
    public Submitted submitted(String account, String canonicalSmscId) {
        String v = read(() -> batch.corr(Keys.corrKey(account, canonicalSmscId)));
        return v == null ? null : Correlation.submitted(v);
    }

    @Override
    public List<Parked> parked(String account, String canonicalSmscId) {
        String key = Keys.corrKey(account, canonicalSmscId);
        if (!parkedOverflow && !parkedKeys.containsKey(key)) {
            return List.of();
        }
        List<Parked> out = new ArrayList<>();
        batch.forOrphans(key, (k, v) -> out.add(parked(k, v)));
        return out;
    }

    private static Parked parked(byte[] key, byte[] json) {
        ByteBuffer b = ByteBuffer.wrap(key, key.length - 16, 16);
        long receivedAt = b.getLong();
        long seq = b.getLong();
        return new Parked(receivedAt, seq, Codec.read(json, Receipt.class));
    }

    @Override
    public List<Expiring> parkedOf(String account) {
        List<Expiring> out = new ArrayList<>();
        batch.forOrphans(account, (k, v) -> {
            String key = new String(k, 0, k.length - 17, java.nio.charset.StandardCharsets.UTF_8); // account NUL id NUL at(8) seq(8)
            out.add(new Expiring(account, key.substring(key.indexOf('\u0000') + 1), null, parked(k, v)));
        });
        return out;
    }

    private static final String ID_FORMAT = "idformat:";

    /**
     * What each account's receipts showed of their id format, read on every receipt: as committed, and as the open batch
     * changed it (dropped if the batch is).
     */
    private final Map<String, smppgw.model.ReceiptIdFormat.Learning> idFormats = new HashMap<>();
    private final Map<String, smppgw.model.ReceiptIdFormat.Learning> idFormatsPending = new HashMap<>();

    @Override
    public smppgw.model.ReceiptIdFormat.Learning idFormat(String account) {
        smppgw.model.ReceiptIdFormat.Learning l = idFormatsPending.get(account);
        if (l == null) {
            l = idFormats.get(account);
        }
        if (l == null) {
            byte[] v = read(() -> batch.meta(ID_FORMAT + account));
            l = v == null ? smppgw.model.ReceiptIdFormat.Learning.NONE : Codec.read(v, smppgw.model.ReceiptIdFormat.Learning.class);
            idFormats.put(account, l);
        }
        return l;
    }

    /** Meta keys of read profiles. */
    static final String READ_PROFILE = "readprofile:";

    @Override
    public smppgw.model.ReadProfile readProfile(String key) {
        return smppgw.model.ReadProfile.decode(read(() -> batch.meta(READ_PROFILE + key)));
    }

    @Override
    public LastSent lastSent(String number, String sender) {
        String v = read(() -> batch.lastMt(Keys.lastSentKey(number, sender)));
        if (v == null) {
            return null;
        }
        int soh = v.indexOf('\u0001');
        return new LastSent(v.substring(0, soh), Long.parseLong(v.substring(soh + 1)));
    }

    @Override
    public PromoCode promoCode(String code) {
        String v = read(() -> batch.code(code));
        if (v == null) {
            return null;
        }
        int soh = v.indexOf('\u0001');
        return soh < 0 ? new PromoCode(v, null) : new PromoCode(v.substring(0, soh), Long.parseLong(v.substring(soh + 1)));
    }

    @Override
    public List<Long> capped(String to, long since) {
        return batch.capped(to, since);
    }

    @Override
    public smppgw.model.Consent consent(String client, String number) {
        return read(() -> batch.consent(client, number));
    }

    @Override
    public List<Inbound> moParts(String key) {
        return batch.moParts(key).stream().map(b -> Codec.read(b, Inbound.class)).toList();
    }

    @Override
    public CampaignSettings campaign(String client, String campaign) {
        return read(() -> batch.campaignSettings(client, campaign));
    }

    @Override
    public List<String> due(long now, int max) {
        List<String> out = new ArrayList<>();
        db.forDue(now, max, (k, id) -> out.add(id));
        return out;
    }

    @Override
    public List<Expiring> submittedBefore(long before, int max) {
        List<Expiring> out = new ArrayList<>();
        db.forCorrBefore(before, max, (timeKey, value) -> {
            String key = new String(timeKey, 8, timeKey.length - 8, java.nio.charset.StandardCharsets.UTF_8);
            int nul = key.indexOf('\u0000');
            out.add(new Expiring(key.substring(0, nul), key.substring(nul + 1), Correlation.submitted(value), null));
        });
        return out;
    }

    @Override
    public List<Expiring> parkedBefore(long before) {
        List<Expiring> out = new ArrayList<>();
        db.forOrphansBefore(before, (k, v) -> {
            String key = new String(k, 0, k.length - 17, java.nio.charset.StandardCharsets.UTF_8); // account NUL id NUL at(8) seq(8)
            int nul = key.indexOf('\u0000');
            out.add(new Expiring(key.substring(0, nul), key.substring(nul + 1), null, parked(k, v)));
        });
        return out;
    }

    // ---- writing ----

    @Override
    public void apply(Change c) {
        try {
            applyOrThrow(c);
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database write failed: " + e.getMessage(), e);
        }
    }

    private void applyOrThrow(Change c) throws RocksDBException {
        if (c instanceof Change.PutMessage p) {
            batch.putMessage(p.message().id(), p.json() != null ? p.json() : Codec.write(p.message()), p.message());
        } else if (c instanceof Change.AddEvent a) {
            batch.addEvent(a.id(), a.json() != null ? a.json() : Codec.write(a.event()));
        } else if (c instanceof Change.PutRef r) {
            batch.putRef(r.client() + '\u0000' + r.clientRef(), r.id());
        } else if (c instanceof Change.PutReservation r) {
            String key = RESERVED + r.client() + '\u0000' + r.clientRef();
            if (r.held() == null) {
                batch.deleteRef(key);
            } else {
                batch.putRef(key, r.held());
            }
        } else if (c instanceof Change.PutSubmitted s) {
            batch.putCorr(Keys.corrKey(s.account(), s.canonicalSmscId()), Correlation.value(s.target()), s.target().at());
        } else if (c instanceof Change.DeleteSubmitted d) {
            batch.deleteCorr(Keys.timeKey(d.at(), Keys.corrKey(d.account(), d.canonicalSmscId())));
        } else if (c instanceof Change.Park p) {
            String key = Keys.corrKey(p.account(), p.canonicalSmscId());
            batch.putOrphan(key, p.receivedAt(), p.seq(), p.json() != null ? p.json() : Codec.write(p.receipt()));
            if (!parkedOverflow) {
                parkedKeys.merge(key, 1, Integer::sum);
                parkedOverflow = parkedKeys.size() > MAX_PARKED_KEYS;
            }
        } else if (c instanceof Change.Unpark u) {
            String key = Keys.corrKey(u.account(), u.canonicalSmscId());
            batch.deleteOrphan(Keys.orphanKey(key, u.parked().receivedAt(), u.parked().seq()));
            parkedKeys.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        } else if (c instanceof Change.QueryDue q) {
            batch.putQuery(q.operator(), q.at(), q.smscId(), Codec.write(q.query()));
        } else if (c instanceof Change.DropQuery q) {
            batch.deleteQuery(q.operator(), q.at(), q.smscId());
        } else if (c instanceof Change.PutIdFormat f) {
            batch.putMeta(ID_FORMAT + f.account(), Codec.write(f.learning()));
            idFormatsPending.put(f.account(), f.learning());
        } else if (c instanceof Change.Schedule s) {
            batch.putSchedule(s.at(), s.id());
        } else if (c instanceof Change.Unschedule s) {
            batch.deleteSchedule(s.at(), s.id());
        } else if (c instanceof Change.IndexCampaign ic) {
            batch.putCampaign(ic.campaign(), ic.id());
        } else if (c instanceof Change.PutPromoCode p) {
            batch.putCode(p.code(), p.value().redeemedAt() == null ? p.value().messageId() : p.value().messageId() + '\u0001' + p.value().redeemedAt());
        } else if (c instanceof Change.PutLink l) {
            batch.putLink(l.token(), l.id(), l.url());
        } else if (c instanceof Change.AddReadProfile rp) {
            smppgw.model.ReadProfile p = smppgw.model.ReadProfile.decode(batch.meta(READ_PROFILE + rp.key()));
            batch.putMeta(READ_PROFILE + rp.key(), (p == null ? smppgw.model.ReadProfile.empty() : p).add(rp.hour(), rp.ms(), rp.at()).encode());
        } else if (c instanceof Change.PutLastSent l) {
            batch.putLastMt(Keys.lastSentKey(l.number(), l.sender()), l.sent().id(), l.sent().at());
        } else if (c instanceof Change.CountCap cc) {
            batch.putCap(cc.to(), cc.at(), cc.id());
        } else if (c instanceof Change.PutConsent pc) {
            batch.putConsent(pc.consent());
        } else if (c instanceof Change.PutInbound i) {
            batch.putInbound(i.inbound().id(), i.json() != null ? i.json() : Codec.write(i.inbound()));
        } else if (c instanceof Change.PutMoPart p) {
            batch.putMoPart(p.key(), p.seq(), p.json() != null ? p.json() : Codec.write(p.part()));
        } else if (c instanceof Change.DeleteMoParts d) {
            batch.deleteMoParts(d.key(), d.parts());
        } else if (c instanceof Change.PutCampaign pc) {
            batch.putCampaignSettings(pc.settings(), pc.json() != null ? pc.json() : Codec.write(pc.settings()));
        } else {
            throw new IllegalArgumentException("not a state change: " + c);
        }
    }

    @Override
    public void commit(long appliedIndex) {
        try {
            if (appliedIndex >= 0) {
                batch.setApplied(appliedIndex);
            }
            batch.commit();
            idFormats.putAll(idFormatsPending);
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database write failed: " + e.getMessage(), e);
        } finally {
            idFormatsPending.clear(); // committed, or dropped with the batch
        }
    }

    @Override
    public void clear() {
        batch.clear();
        idFormatsPending.clear();
    }

    @Override
    public long appliedIndex() {
        return db.appliedIndex();
    }

    @Override
    public void resync() {
        idFormats.clear();
        idFormatsPending.clear();
        parkedKeys.clear();
        parkedOverflow = false;
        db.forOrphanKeys(k -> {
            if (!parkedOverflow) {
                parkedKeys.merge(k, 1, Integer::sum);
                parkedOverflow = parkedKeys.size() > MAX_PARKED_KEYS;
            }
        });
    }

    @Override
    public void cursor(String name, long index) {
        try {
            batch.setCursor(name, index);
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int pending() {
        return batch.ops();
    }

    void close() {
        batch.close();
    }
}
