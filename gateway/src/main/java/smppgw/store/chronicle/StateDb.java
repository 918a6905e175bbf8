package smppgw.store.chronicle;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

import smppgw.model.Event;
import smppgw.model.Message;
import smppgw.model.OptOut;

/**
 * The derived views, in RocksDB: messages, their events, the client_ref and receipt-correlation indexes.
 * Rebuilt from the journal: each batch also records the journal index it applied up to, so a restart
 * replays only what the last batch did not cover. A persistent LSM store keeps hundreds of millions of
 * correlation entries on disk (compressed, with a bloom filter per table) rather than on the heap.
 *
 * <p>Writes come only from the journal thread; reads from any thread.
 */
final class StateDb implements AutoCloseable {
    static final byte[] APPLIED = Codec.utf8("applied");
    static final String CURSOR = "cursor:";
    static final byte[] PURGED_TO = Codec.utf8("purged-to");
    private static final byte[] SALT = Codec.utf8("number-salt");
    private final byte[] salt;
    static final String PURGE_LATER = "purge-later:";

    static {
        RocksDB.loadLibrary();
    }

    final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final StringAppendOperator append;
    final WriteOptions writeOptions = new WriteOptions();
    final ReadOptions readOptions = new ReadOptions();
    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle messages;
    final ColumnFamilyHandle events;
    final ColumnFamilyHandle refs;
    final ColumnFamilyHandle corr;
    final ColumnFamilyHandle corrByTime;
    final ColumnFamilyHandle orphans;
    final ColumnFamilyHandle inbound;
    final ColumnFamilyHandle moParts;
    final ColumnFamilyHandle optOuts;
    final ColumnFamilyHandle caps;
    final ColumnFamilyHandle lastMt;
    final ColumnFamilyHandle links;
    final ColumnFamilyHandle codes;
    final ColumnFamilyHandle campaigns;
    final ColumnFamilyHandle schedule;
    /** Parts to ask about with query_sm: operator NUL at(8) smscId → the query (JSON). */
    final ColumnFamilyHandle queryDue;

    StateDb(Path dir) {
        try {
            Files.createDirectories(dir);
            cache = new LRUCache(64L << 20);
            bloom = new BloomFilter(10);
            append = new StringAppendOperator('\n');
            dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2).setKeepLogFileNum(5)
                    // no preallocated write-ahead log (1.1 x the largest memtable, 35 MiB): on a small disk that space would
                    // stay taken, keeping free space under the disk guard's resume level until a restart
                    .setAllowFAllocate(false);
            List<ColumnFamilyDescriptor> cfds = new ArrayList<>();
            for (String name : List.of("default", "messages", "events", "refs", "corr", "corr_by_time", "orphans", "inbound", "mo_parts", "optouts", "caps", "last_mt", "links", "codes", "campaigns", "schedule", "query_due")) {
                ColumnFamilyOptions o = new ColumnFamilyOptions()
                        .setWriteBufferSize((name.equals("messages") || name.equals("events") ? 32L : 8L) << 20)
                        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom));
                if (name.equals("events")) {
                    o.setMergeOperator(append);
                }
                cfOptions.add(o);
                cfds.add(new ColumnFamilyDescriptor(Codec.utf8(name), o));
            }
            db = RocksDB.open(dbOptions, dir.toString(), cfds, handles);
        } catch (RocksDBException | java.io.IOException e) {
            throw new IllegalStateException("cannot open state database " + dir + ": " + e.getMessage(), e);
        }
        meta = handles.get(0);
        messages = handles.get(1);
        events = handles.get(2);
        refs = handles.get(3);
        corr = handles.get(4);
        corrByTime = handles.get(5);
        orphans = handles.get(6);
        inbound = handles.get(7);
        moParts = handles.get(8);
        optOuts = handles.get(9);
        caps = handles.get(10);
        lastMt = handles.get(11);
        links = handles.get(12);
        codes = handles.get(13);
        campaigns = handles.get(14);
        schedule = handles.get(15);
        queryDue = handles.get(16);
        byte[] stored = get(meta, SALT);
        if (stored == null) {
            stored = new byte[16];
            new java.security.SecureRandom().nextBytes(stored);
            try {
                db.put(meta, SALT, stored);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot write the state database: " + e.getMessage(), e);
            }
        }
        salt = stored;
        try {
            ConsentLists.migrateSingleList(db, optOuts);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write the state database: " + e.getMessage(), e);
        }
    }

    // ---- reads (any thread) ----

    long appliedIndex() {
        byte[] v = get(meta, APPLIED);
        return v == null ? -1 : ByteBuffer.wrap(v).getLong();
    }

    long cursor(String operator) {
        byte[] v = get(meta, Codec.utf8(CURSOR + operator));
        return v == null ? -1 : ByteBuffer.wrap(v).getLong();
    }

    Message message(String id) {
        byte[] v = get(messages, Codec.utf8(id));
        return v == null ? null : Codec.read(v, Message.class);
    }

    List<Event> events(String id) {
        return Codec.events(get(events, Codec.utf8(id)));
    }

    String ref(String key) {
        return Codec.utf8(get(refs, Codec.utf8(key)));
    }

    /** Where a number stands with a client (null: the gateway's list), or null if nothing was recorded. */
    /** A read profile (committed state). */
    smppgw.model.ReadProfile readProfile(String key) {
        return smppgw.model.ReadProfile.decode(get(meta, Codec.utf8(RocksState.READ_PROFILE + key)));
    }

    smppgw.model.Consent consent(String client, String number) {
        byte[] v = get(optOuts, Keys.consentKey(client, number));
        return v == null ? null : Codec.read(v, smppgw.model.Consent.class);
    }

    /** The numbers on a list ({@link ConsentLists#optOuts}). */
    List<smppgw.model.Consent> optOuts(String client, String after, int limit) {
        return ConsentLists.optOuts(db, optOuts, client, after, limit);
    }

    /** Scheduled messages due at or before {@code now}, earliest first: (key, id), at most {@code max}. */
    void forDue(long now, int max, java.util.function.BiConsumer<byte[], String> visit) {
        try (RocksIterator it = db.newIterator(schedule)) {
            int n = 0;
            for (it.seekToFirst(); it.isValid() && n < max && ByteBuffer.wrap(it.key()).getLong() <= now; it.next(), n++) {
                byte[] k = it.key();
                visit.accept(k, new String(k, 8, k.length - 8, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** How many messages are held for later. */
    long scheduledCount() {
        try {
            return db.getLongProperty(schedule, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** The raw JSON of a message, as stored. */
    byte[] messageBytes(String id) {
        return get(messages, Codec.utf8(id));
    }


    /** The ids of a campaign's messages, oldest first. */
    void forCampaign(String campaign, java.util.function.Consumer<String> visit) {
        byte[] prefix = Codec.utf8(campaign + '\u0000');
        try (RocksIterator it = db.newIterator(campaigns)) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                byte[] k = it.key();
                visit.accept(new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** The tracking link with this token, or null. */
    smppgw.model.Link link(String token) {
        String v = Codec.utf8(get(links, Codec.utf8(token)));
        if (v == null) {
            return null;
        }
        int soh = v.indexOf('\u0001');
        return new smppgw.model.Link(token, v.substring(soh + 1), v.substring(0, soh));
    }

    /** When a recipient's capped messages are (or were) sent, at or after {@code since} (epoch ms), in time order; future ones too. */
    List<Long> capped(String to, long since) {
        byte[] prefix = numberKey(to);
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(caps)) {
            for (it.seek(capKey(to, since, "")); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                out.add(ByteBuffer.wrap(it.key(), prefix.length, 8).getLong());
            }
        }
        return out;
    }

    /** {@code number-key at(8, big-endian) id}: a recipient's capped messages in time order. */
    byte[] capKey(String to, long at, String id) {
        byte[] t = numberKey(to);
        byte[] i = Codec.utf8(id);
        return ByteBuffer.allocate(t.length + 8 + i.length).put(t).putLong(at).put(i).array();
    }

    private static final ThreadLocal<java.security.MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /**
     * The key a phone number (or a key made of numbers) is indexed under: 16 bytes of SHA-256 over this database's random
     * salt and the number. Indexes looked up by number never write it in clear, so the first and last keys RocksDB keeps
     * of its files (in the MANIFEST, until it rolls over) are not numbers either. Pseudonymous, not anonymous.
     */
    byte[] numberKey(String number) {
        java.security.MessageDigest d = SHA256.get();
        d.reset();
        d.update(salt);
        return Arrays.copyOf(d.digest(Codec.utf8(number)), 16);
    }

    /** Every committed reader cursor whose name starts with {@code prefix}: name (without "cursor:") → index. */
    java.util.Map<String, Long> cursors(String prefix) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        byte[] p = Codec.utf8(CURSOR + prefix);
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seek(p); it.isValid() && Keys.startsWith(it.key(), p); it.next()) {
                out.put(Codec.utf8(it.key()).substring(CURSOR.length()), ByteBuffer.wrap(it.value()).getLong());
            }
        }
        return out;
    }

    /** A client's settings for a campaign, or null. */
    /** Every campaign's settings, of every client. */
    List<smppgw.model.CampaignSettings> allCampaignSettings() {
        List<smppgw.model.CampaignSettings> out = new ArrayList<>();
        byte[] prefix = Keys.campaignPrefix();
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                out.add(Codec.read(it.value(), smppgw.model.CampaignSettings.class));
            }
        }
        return out;
    }

    smppgw.model.CampaignSettings campaignSettings(String client, String campaign) {
        byte[] v = get(meta, Keys.campaignKey(client, campaign));
        return v == null ? null : Codec.read(v, smppgw.model.CampaignSettings.class);
    }


    /** The newest inbound messages first (ids are time-ordered). */
    List<byte[]> recentInbound(int limit) {
        List<byte[]> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(inbound)) {
            for (it.seekToLast(); it.isValid() && out.size() < limit; it.prev()) {
                out.add(it.value());
            }
        }
        return out;
    }

    /** An operator's queries due at or before {@code now}, earliest first, at most {@code max}. */
    List<smppgw.store.MessageStore.DueQuery> dueQueries(String operator, long now, int max) {
        List<smppgw.store.MessageStore.DueQuery> out = new ArrayList<>();
        byte[] prefix = Codec.utf8(operator + '\u0000');
        try (RocksIterator it = db.newIterator(queryDue)) {
            for (it.seek(prefix); it.isValid() && out.size() < max && Keys.startsWith(it.key(), prefix); it.next()) {
                byte[] k = it.key();
                long at = ByteBuffer.wrap(k, prefix.length, 8).getLong();
                if (at > now) {
                    break;
                }
                String smscId = new String(k, prefix.length + 8, k.length - prefix.length - 8, java.nio.charset.StandardCharsets.UTF_8);
                smppgw.state.Change.Query q = Codec.read(it.value(), smppgw.state.Change.Query.class);
                out.add(new smppgw.store.MessageStore.DueQuery(operator, at, smscId, q.id(), q.part(), q.parts(), q.submittedAt(), q.attempts()));
            }
        }
        return out;
    }

    /** The correlation key of every parked receipt (with repeats), oldest first. */
    void forOrphanKeys(java.util.function.Consumer<String> visit) {
        try (RocksIterator it = db.newIterator(orphans)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                visit.accept(new String(k, 0, k.length - 17, java.nio.charset.StandardCharsets.UTF_8)); // key NUL at(8) seq(8)
            }
        }
    }

    List<ColumnFamilyHandle> handles() {
        return handles;
    }

    byte[] get(ColumnFamilyHandle cf, byte[] key) {
        try {
            return db.get(cf, readOptions, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("state database read failed: " + e.getMessage(), e);
        }
    }

    // ---- writes (journal thread only), through a batch ----

    StateBatch batch() {
        return new StateBatch(this);
    }



    /** Visits correlation entries submitted before {@code beforeMillis}, oldest first: (time key, message id). */
    void forCorrBefore(long beforeMillis, int limit, BiConsumer<byte[], String> visit) {
        byte[] end = ByteBuffer.allocate(8).putLong(beforeMillis).array();
        int n = 0;
        try (RocksIterator it = db.newIterator(corrByTime)) {
            for (it.seekToFirst(); it.isValid() && n < limit && Arrays.compareUnsigned(it.key(), 0, 8, end, 0, 8) < 0; it.next(), n++) {
                visit.accept(it.key(), Codec.utf8(it.value()));
            }
        }
    }

    /** Visits parked receipts received before {@code beforeMillis}. */
    void forOrphansBefore(long beforeMillis, BiConsumer<byte[], byte[]> visit) {
        try (RocksIterator it = db.newIterator(orphans)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                long at = ByteBuffer.wrap(k, k.length - 16, 8).getLong();
                if (at < beforeMillis) {
                    visit.accept(k, it.value());
                }
            }
        }
    }





    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        writeOptions.close();
        readOptions.close();
        append.close();
        bloom.close();
        cache.close();
    }
}
