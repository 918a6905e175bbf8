package smppgw.store.chronicle;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.List;

import smppgw.model.OptOut;

/** The suppression lists in the state database: listing one in number order, and the move from the single list of earlier versions. */
final class ConsentLists {
    private ConsentLists() {
    }

    /**
     * The numbers on a list (null: the gateway's; {@link smppgw.store.MessageStore#ALL_LISTS}: every list, by list then
     * number) in number order, strictly after {@code after} (null: from the first).
     */
    static List<smppgw.model.Consent> optOuts(org.rocksdb.RocksDB db, org.rocksdb.ColumnFamilyHandle optOuts, String client, String after, int limit) {
        List<smppgw.model.Consent> out = new ArrayList<>();
        boolean all = smppgw.store.MessageStore.ALL_LISTS.equals(client);
        byte[] prefix = all ? new byte[0] : Keys.consentKey(client, "");
        try (RocksIterator it = db.newIterator(optOuts)) {
            if (after == null) {
                it.seek(prefix);
            } else {
                byte[] from = all ? Codec.utf8(after) : Keys.consentKey(client, after);
                it.seek(from);
                if (it.isValid() && java.util.Arrays.equals(it.key(), from)) {
                    it.next();
                }
            }
            for (; it.isValid() && out.size() < limit && startsWith(it.key(), prefix); it.next()) {
                smppgw.model.Consent c = Codec.read(it.value(), smppgw.model.Consent.class);
                if (c.optedOut()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Earlier versions kept one list, keyed by number: an entry a client added through the API goes on that client's
     * list, a consumer's keyword on the gateway's (as it was honoured for every client), each with the change that made
     * it as its history ({@link OptOut#lists}).
     */
    static void migrateSingleList(org.rocksdb.RocksDB db, org.rocksdb.ColumnFamilyHandle optOuts) throws RocksDBException {
        List<byte[]> legacy = new ArrayList<>();
        try (RocksIterator it = db.newIterator(optOuts)) {
            for (it.seek(Codec.utf8("+")); it.isValid() && it.key().length > 0 && it.key()[0] == '+'; it.next()) {
                legacy.add(it.key());
            }
        }
        for (byte[] k : legacy) {
            OptOut o = Codec.read(db.get(optOuts, k), OptOut.class);
            String list = o.lists().get(0);
            smppgw.model.Consent c = smppgw.model.Consent.next(null, o, list);
            try (org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch(); org.rocksdb.WriteOptions wo = new org.rocksdb.WriteOptions()) {
                wb.put(optOuts, Keys.consentKey(list, o.number()), Codec.write(c));
                wb.delete(optOuts, k);
                db.write(wo, wb);
            }
        }
        if (!legacy.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(StateDb.class).info("{} opt-outs of the single list moved to the per-client lists", legacy.size());
        }
    }
}
