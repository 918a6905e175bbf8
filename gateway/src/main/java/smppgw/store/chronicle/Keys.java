package smppgw.store.chronicle;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How the state database's keys are laid out, in one place (the hashed number keys, which need the database's salt, are
 * {@link StateDb#numberKey}).
 */
final class Keys {
    private Keys() {
    }

    private static final String CAMPAIGN = "campaign:";

    /** {@code at(8, big-endian) id}: scheduled messages in time order. */
    static byte[] scheduleKey(long at, String id) {
        byte[] i = Codec.utf8(id);
        return ByteBuffer.allocate(8 + i.length).putLong(at).put(i).array();
    }

    /** {@code operator NUL at(8) smscId}: an operator's query_sm to send, in time order. */
    static byte[] queryKey(String operator, long at, String smscId) {
        byte[] o = Codec.utf8(operator + '\u0000');
        byte[] i = Codec.utf8(smscId);
        return ByteBuffer.allocate(o.length + 8 + i.length).put(o).putLong(at).put(i).array();
    }

    /** The gateway's own list, in {@link #consentKey}. */
    static final String GATEWAY_LIST = "*";

    /**
     * {@code list NUL number}: where a number stands with a client ({@code list} its name; {@code *} the gateway's list).
     * Client names never start with '*' or '+'; keys starting with '+' are the single list of earlier versions.
     */
    static byte[] consentKey(String client, String number) {
        return Codec.utf8((client == null ? GATEWAY_LIST : client) + '\u0000' + number);
    }

    /** The key {@code lastMt} keeps the newest message from a sender to a number under (hashed with the number keys). */
    static String lastSentKey(String number, String sender) {
        return number + '\u0000' + (sender == null ? "" : smppgw.model.PhoneNumber.stripPlus(sender));
    }

    /** In the meta column family: a client's settings for a campaign. */
    /** The prefix of every campaign's settings key. */
    static byte[] campaignPrefix() {
        return Codec.utf8(CAMPAIGN);
    }

    static byte[] campaignKey(String client, String campaign) {
        return Codec.utf8(CAMPAIGN + client + '\u0000' + campaign);
    }

    /** The receipt-correlation key: SMSC account NUL canonical SMSC id. */
    static String corrKey(String operator, String canonicalSmscId) {
        return operator + '\u0000' + canonicalSmscId;
    }

    /** {@code at(8) key}: an index by time (the correlation entries, for the receipt window). */
    static byte[] timeKey(long at, String key) {
        byte[] k = Codec.utf8(key);
        return ByteBuffer.allocate(8 + k.length).putLong(at).put(k).array();
    }

    /** key NUL receivedAt(8) seq(8): receivedAt is read back by {@link StateDb#forOrphansBefore}. */
    static byte[] orphanKey(String key, long receivedAt, long seq) {
        byte[] k = Codec.utf8(key + '\u0000');
        return ByteBuffer.allocate(k.length + 16).put(k).putLong(receivedAt).putLong(seq).array();
    }

    static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }
}
