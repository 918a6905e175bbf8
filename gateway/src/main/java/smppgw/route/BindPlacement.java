package smppgw.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which live node holds each bind of an SMSC account in a group whose nodes all send (docs/cluster.md, "Sending"). An
 * account's {@code count} binds are spread evenly — each node holds {@code count / nodes} of them or one more (the nodes
 * holding one more are those with the highest hash of (account, node)), so that with at least as many binds as nodes every
 * node holds one and its cores can send without another node — and bind {@code i} goes to the node with the highest hash
 * of ({@code account}, {@code i}, node) among those not yet holding their part (rendezvous hashing with bounded loads).
 * Every node computes the same placement from the same member list, an account never has more than its {@code count}
 * binds in the whole group, and a node joining or leaving moves the binds it takes or held and, to keep the spread even, a
 * few others. A node's share of an account's {@code tps} is its share of the account's binds, so the SMSC never sees more
 * than the configured rate in total.
 */
public final class BindPlacement {
    private BindPlacement() {
    }

    /** Bind {@code index} of {@code account}. */
    public record Bind(String account, int index) {
    }

    /**
     * @param counts each account's configured bind count
     * @param nodes  the live nodes' ids (order does not matter)
     * @return each node's binds (a node with none is listed with an empty list), accounts and indexes in order
     */
    public static Map<String, List<Bind>> place(Map<String, Integer> counts, Collection<String> nodes) {
        Map<String, List<Bind>> out = new TreeMap<>();
        nodes.forEach(n -> out.put(n, new ArrayList<>()));
        if (nodes.isEmpty()) {
            return out;
        }
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(nodes));
        new TreeMap<>(counts).forEach((account, count) -> {
            Map<String, Integer> room = new java.util.HashMap<>();
            List<String> ranked = new ArrayList<>(sorted);
            ranked.sort((a, b) -> Long.compareUnsigned(score(account, -1, b), score(account, -1, a)));
            for (int r = 0; r < ranked.size(); r++) {
                room.put(ranked.get(r), count / ranked.size() + (r < count % ranked.size() ? 1 : 0));
            }
            for (int i = 0; i < count; i++) {
                String best = null;
                long bestScore = 0;
                for (String n : sorted) {
                    long sc = score(account, i, n);
                    if (room.get(n) > 0 && (best == null || Long.compareUnsigned(sc, bestScore) > 0)) {
                        best = n;
                        bestScore = sc;
                    }
                }
                room.merge(best, -1, Integer::sum);
                out.get(best).add(new Bind(account, i));
            }
        });
        return out;
    }

    /**
     * This node's share of an account's {@code tps}: the configured rate times its binds over the account's count, so the
     * shares of all nodes add up to the configured rate (the remainder of an uneven division goes to the nodes holding the
     * lowest bind indexes, one each). A {@code tps} of 0 (no limit) is 0 for every node.
     */
    public static int tpsShare(int tps, int count, List<Bind> mine, String account) {
        int share = 0;
        for (Bind b : mine) {
            if (b.account().equals(account)) {
                share += tps / count + (b.index() < tps % count ? 1 : 0);
            }
        }
        return share;
    }

    private static long score(String account, int index, String node) {
        long h = 0xcbf29ce484222325L;
        String key = account + '\0' + index + '\0' + node;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        return Shards.mix(h);
    }
}
