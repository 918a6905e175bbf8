package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.BiConsumer;

import smppgw.model.Event;
import smppgw.model.Message;

/** One atomic write to the {@link StateDb} (journal thread only); reads through it see its own writes. */
final class StateBatch implements AutoCloseable {
    private final StateDb s;

    StateBatch(StateDb s) {
        this.s = s;
    }

    private final WriteBatchWithIndex wb = new WriteBatchWithIndex(true);
    private int ops;

    /**
     * Recently written messages, decoded: a receipt or a read usually comes soon after its message, and decoding the
     * stored JSON again is most of what reading it costs. Committed ones (bounded, oldest out) and this batch's.
     */
    private static final int RECENT = 16_384;
    private final Map<String, Message> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Message> eldest) {
            return size() > RECENT;
        }
    };
    private final Map<String, Message> pendingMessages = new HashMap<>();

    void putMessage(String id, byte[] json, Message m) throws RocksDBException {
        wb.put(s.messages, Codec.utf8(id), json);
        pendingMessages.put(id, m);
        ops++;
    }

    /** Appends an event (its JSON) to a message's history. */
    void addEvent(String id, byte[] eventJson) throws RocksDBException {
        wb.merge(s.events, Codec.utf8(id), eventJson);
        ops++;
    }

    /** A message, including one written earlier in this batch. */
    Message message(String id) throws RocksDBException {
        Message m = pendingMessages.get(id);
        if (m == null) {
            m = recent.get(id);
        }
        if (m != null) {
            return m;
        }
        byte[] v = wb.getFromBatchAndDB(s.db, s.messages, s.readOptions, Codec.utf8(id));
        return v == null ? null : Codec.read(v, Message.class);
    }

    String ref(String key) throws RocksDBException {
        return Codec.utf8(wb.getFromBatchAndDB(s.db, s.refs, s.readOptions, Codec.utf8(key)));
    }

    void putRef(String key, String id) throws RocksDBException {
        wb.put(s.refs, Codec.utf8(key), Codec.utf8(id));
        ops++;
    }

    void deleteRef(String key) throws RocksDBException {
        wb.delete(s.refs, Codec.utf8(key));
        ops++;
    }

    String corr(String key) throws RocksDBException {
        return Codec.utf8(wb.getFromBatchAndDB(s.db, s.corr, s.readOptions, Codec.utf8(key)));
    }

    /** Indexes a submitted part under its SMSC id, and by time so the receipt window can expire it. */
    void putCorr(String key, String id, long at) throws RocksDBException {
        wb.put(s.corr, Codec.utf8(key), Codec.utf8(id));
        wb.put(s.corrByTime, Keys.timeKey(at, key), Codec.utf8(id));
        ops += 2;
    }

    void deleteCorr(byte[] timeKey) throws RocksDBException {
        wb.delete(s.corr, Arrays.copyOfRange(timeKey, 8, timeKey.length));
        wb.delete(s.corrByTime, timeKey);
        ops += 2;
    }

    void putOrphan(String key, long receivedAt, long seq, byte[] receiptJson) throws RocksDBException {
        wb.put(s.orphans, Keys.orphanKey(key, receivedAt, seq), receiptJson);
        ops++;
    }

    /** Every parked receipt whose key is {@code key}; visits (orphan key, receipt json). */
    void forOrphans(String key, BiConsumer<byte[], byte[]> visit) {
        byte[] prefix = Codec.utf8(key + '\u0000');
        try (RocksIterator it = wb.newIteratorWithBase(s.orphans, s.db.newIterator(s.orphans))) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                visit.accept(it.key(), it.value());
            }
        }
    }

    void deleteOrphan(byte[] key) throws RocksDBException {
        wb.delete(s.orphans, key);
        ops++;
    }

    /** Holds a message until {@code at}. */
    void putSchedule(long at, String id) throws RocksDBException {
        wb.put(s.schedule, Keys.scheduleKey(at, id), new byte[0]);
        ops++;
    }

    void deleteSchedule(long at, String id) throws RocksDBException {
        wb.delete(s.schedule, Keys.scheduleKey(at, id));
        ops++;
    }

    /** A message's stored JSON, this batch's writes included. */
    byte[] messageBytes(String id) throws RocksDBException {
        return wb.getFromBatchAndDB(s.db, s.messages, s.readOptions, Codec.utf8(id));
    }

    /** Indexes a message under its campaign: {@code campaign NUL id}. */
    void putCampaign(String campaign, String id) throws RocksDBException {
        wb.put(s.campaigns, Codec.utf8(campaign + '\u0000' + id), new byte[0]);
        ops++;
    }

    /** A promo code: code → {@code id}, then {@code SOH redeemedAt} once redeemed. */
    void putCode(String code, String value) throws RocksDBException {
        wb.put(s.codes, Codec.utf8(code), Codec.utf8(value));
        ops++;
    }

    /** {@link #putCode}'s value (this batch's writes included), or null. */
    String code(String code) throws RocksDBException {
        return Codec.utf8(wb.getFromBatchAndDB(s.db, s.codes, s.readOptions, Codec.utf8(code)));
    }

    /** A tracking link: token → {@code id SOH url}. */
    void putLink(String token, String id, String url) throws RocksDBException {
        wb.put(s.links, Codec.utf8(token), Codec.utf8(id + '\u0001' + url));
        ops++;
    }

    /** The newest message to a number: {@code id SOH acceptedAt}, what a reply from it is matched to. */
    void putLastMt(String to, String id, long acceptedAt) throws RocksDBException {
        wb.put(s.lastMt, s.numberKey(to), Codec.utf8(id + '\u0001' + acceptedAt));
        ops++;
    }

    /** {@link #putLastMt}'s value for a number (this batch's writes included), or null. */
    String lastMt(String number) throws RocksDBException {
        return Codec.utf8(wb.getFromBatchAndDB(s.db, s.lastMt, s.readOptions, s.numberKey(number)));
    }

    /** A message's s.events, this batch's included. */
    List<Event> events(String id) throws RocksDBException {
        return Codec.events(wb.getFromBatchAndDB(s.db, s.events, s.readOptions, Codec.utf8(id)));
    }

    /** Counts a capped (promotional) message against its recipient. */
    void putCap(String to, long at, String id) throws RocksDBException {
        wb.put(s.caps, s.capKey(to, at, id), new byte[0]);
        ops++;
    }

    /** When a recipient's capped messages are sent, at or after {@code since}, this batch's included, in time order. */
    List<Long> capped(String to, long since) {
        byte[] prefix = s.numberKey(to);
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = wb.newIteratorWithBase(s.caps, s.db.newIterator(s.caps))) {
            for (it.seek(s.capKey(to, since, "")); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                out.add(ByteBuffer.wrap(it.key(), prefix.length, 8).getLong());
            }
        }
        return out;
    }

    smppgw.model.Consent consent(String client, String number) throws RocksDBException {
        byte[] v = wb.getFromBatchAndDB(s.db, s.optOuts, s.readOptions, Keys.consentKey(client, number));
        return v == null ? null : Codec.read(v, smppgw.model.Consent.class);
    }

    smppgw.model.CampaignSettings campaignSettings(String client, String campaign) throws RocksDBException {
        byte[] v = wb.getFromBatchAndDB(s.db, s.meta, s.readOptions, Keys.campaignKey(client, campaign));
        return v == null ? null : Codec.read(v, smppgw.model.CampaignSettings.class);
    }

    /** Where a number now stands with a client or the gateway's list (kept when it leaves the list: its history). */
    void putConsent(smppgw.model.Consent c) throws RocksDBException {
        wb.put(s.optOuts, Keys.consentKey(c.client(), c.number()), Codec.write(c));
        ops++;
    }

    void putInbound(String id, byte[] json) throws RocksDBException {
        wb.put(s.inbound, Codec.utf8(id), json);
        ops++;
    }

    /** Parks a part of a concatenated MO; key: operator, from, to, reference, then the part number. */
    private byte[] moPartKey(String key, int seq) {
        return ByteBuffer.allocate(16 + 2).put(s.numberKey(key)).putShort((short) seq).array();
    }

    void putMoPart(String key, int seq, byte[] json) throws RocksDBException {
        wb.put(s.moParts, moPartKey(key, seq), json);
        ops++;
    }

    /** The parked parts of one concatenated MO, in part order (json of each). */
    List<byte[]> moParts(String key) {
        List<byte[]> out = new ArrayList<>();
        byte[] prefix = s.numberKey(key);
        try (RocksIterator it = wb.newIteratorWithBase(s.moParts, s.db.newIterator(s.moParts))) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix) && it.key().length == prefix.length + 2; it.next()) {
                out.add(it.value());
            }
        }
        return out;
    }

    void deleteMoParts(String key, int parts) throws RocksDBException {
        for (int seq = 1; seq <= parts; seq++) {
            wb.delete(s.moParts, moPartKey(key, seq));
        }
        ops++;
    }

    /** Replaces a message's whole history (retention rewrites it without what it must not keep). */
    void putEvents(String id, List<Event> history) throws RocksDBException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Event e : history) {
            if (out.size() > 0) {
                out.write('\n');
            }
            out.writeBytes(Codec.write(e));
        }
        wb.put(s.events, Codec.utf8(id), out.toByteArray());
        ops++;
    }

    void deleteLastMt(String to) throws RocksDBException {
        wb.delete(s.lastMt, s.numberKey(to));
        ops++;
    }

    void deleteCap(String to, long at, String id) throws RocksDBException {
        wb.delete(s.caps, s.capKey(to, at, id));
        ops++;
    }

    void deleteLink(String token) throws RocksDBException {
        wb.delete(s.links, Codec.utf8(token));
        ops++;
    }

    void deleteInbound(byte[] key) throws RocksDBException {
        wb.delete(s.inbound, key);
        ops++;
    }

    void deleteMoPart(byte[] key) throws RocksDBException {
        wb.delete(s.moParts, key);
        ops++;
    }

    void putCampaignSettings(smppgw.model.CampaignSettings c, byte[] json) throws RocksDBException {
        wb.put(s.meta, Keys.campaignKey(c.client(), c.campaign()), json);
        ops++;
    }

    void putQuery(String operator, long at, String smscId, byte[] json) throws RocksDBException {
        wb.put(s.queryDue, Keys.queryKey(operator, at, smscId), json);
        ops++;
    }

    void deleteQuery(String operator, long at, String smscId) throws RocksDBException {
        wb.delete(s.queryDue, Keys.queryKey(operator, at, smscId));
        ops++;
    }

    /** A small value of the meta column family, this batch's writes included. */
    byte[] meta(String key) throws RocksDBException {
        return wb.getFromBatchAndDB(s.db, s.meta, s.readOptions, Codec.utf8(key));
    }

    void deleteMeta(String key) throws RocksDBException {
        wb.delete(s.meta, Codec.utf8(key));
        ops++;
    }

    void putMeta(String key, byte[] value) throws RocksDBException {
        wb.put(s.meta, Codec.utf8(key), value);
        ops++;
    }

    void setPurgedTo(String id) throws RocksDBException {
        wb.put(s.meta, StateDb.PURGED_TO, Codec.utf8(id));
        ops++;
    }

    /** Marks (or with {@code later} false, unmarks) a message retention must come back to. */
    void purgeLater(String id, boolean later) throws RocksDBException {
        if (later) {
            wb.put(s.meta, Codec.utf8(StateDb.PURGE_LATER + id), new byte[0]);
        } else {
            wb.delete(s.meta, Codec.utf8(StateDb.PURGE_LATER + id));
        }
        ops++;
    }

    void setApplied(long journalIndex) throws RocksDBException {
        wb.put(s.meta, StateDb.APPLIED, ByteBuffer.allocate(8).putLong(journalIndex).array());
    }

    void setCursor(String operator, long index) throws RocksDBException {
        wb.put(s.meta, Codec.utf8(StateDb.CURSOR + operator), ByteBuffer.allocate(8).putLong(index).array());
        ops++;
    }

    int ops() {
        return ops;
    }

    void commit() throws RocksDBException {
        try {
            s.db.write(s.writeOptions, wb);
            recent.putAll(pendingMessages);
        } finally {
            pendingMessages.clear();
        }
        wb.clear();
        ops = 0;
    }

    /** Forgets what was put in the batch (its write failed: the journal is replayed instead). */
    void clear() {
        wb.clear();
        pendingMessages.clear();
        ops = 0;
    }

    @Override
    public void close() {
        wb.close();
    }
    }
