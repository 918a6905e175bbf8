package smppgw.model;

import java.nio.ByteBuffer;

/**
 * When a recipient (or a campaign's, or a client's recipients) read soonest: per UTC hour of day of sending, how many
 * messages sent in that hour were read and their total time to read. {@link #bestHour} is the hour with the shortest
 * mean time to read ({@code send_time: "best"}).
 */
public record ReadProfile(int[] reads, long[] totalMs, long lastAt) {

    public static ReadProfile empty() {
        return new ReadProfile(new int[24], new long[24], 0);
    }

    /**
     * The same profile with one more read, at {@code at}, of a message sent in {@code hour}, read {@code ms} after it was
     * sent. {@code lastAt} (the newest read) lets retention drop a recipient's profile once all of it is older than the
     * retention period.
     */
    public ReadProfile add(int hour, long ms, long at) {
        int[] r = reads.clone();
        long[] t = totalMs.clone();
        r[hour]++;
        t[hour] += Math.max(0, ms);
        return new ReadProfile(r, t, Math.max(lastAt, at));
    }

    /** The UTC hour whose messages were read soonest on average (ties: the one with more reads, then the earlier); -1 if none. */
    public int bestHour() {
        int best = -1;
        for (int h = 0; h < 24; h++) {
            if (reads[h] == 0) {
                continue;
            }
            if (best < 0) {
                best = h;
                continue;
            }
            double mean = (double) totalMs[h] / reads[h];
            double bestMean = (double) totalMs[best] / reads[best];
            if (mean < bestMean || mean == bestMean && reads[h] > reads[best]) {
                best = h;
            }
        }
        return best;
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(24 * 12 + 8);
        for (int h = 0; h < 24; h++) {
            b.putInt(reads[h]).putLong(totalMs[h]);
        }
        return b.putLong(lastAt).array();
    }

    public static ReadProfile decode(byte[] v) {
        if (v == null || v.length != 24 * 12 + 8) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        int[] r = new int[24];
        long[] t = new long[24];
        for (int h = 0; h < 24; h++) {
            r[h] = b.getInt();
            t[h] = b.getLong();
        }
        return new ReadProfile(r, t, b.getLong());
    }

    /** The profile keys a read of {@code m} counts in: its recipient's, its campaign's, its client's. */
    public static java.util.List<String> keys(Message m) {
        java.util.List<String> k = new java.util.ArrayList<>(3);
        if (m.to() != null) {
            k.add(recipientKey(m.to()));
        }
        if (m.campaign() != null) {
            k.add(campaignKey(m.client(), m.campaign()));
        }
        k.add(clientKey(m.client()));
        return k;
    }

    /**
     * A recipient's key: a SHA-256 digest of the number, never the number itself, so no state file holds it in clear
     * (retention deletes the profile with the recipient's last messages; the digest can still be matched by whoever
     * knows the number: it is a pseudonym, not anonymity).
     */
    public static String recipientKey(String number) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(number.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "n:" + java.util.HexFormat.of().formatHex(h, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String campaignKey(String client, String campaign) {
        return "c:" + client + '\u0000' + campaign;
    }

    public static String clientKey(String client) {
        return "k:" + client;
    }
}
