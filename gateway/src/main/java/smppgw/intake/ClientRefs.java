package smppgw.intake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import smppgw.model.AcceptResult;
import smppgw.model.NewMessage;
import smppgw.model.RefReservation;
import smppgw.route.Shards;

/**
 * A sharded core's messages with a {@code client_ref} (docs/cluster.md § Idempotency across recipients): the reference
 * is held by the core of its own shard ({@code Shards.ofCode(client + "/" + client_ref)}) before the message is stored
 * here, so one reference names one message in the whole group, as on one gateway. A reference of this core's own shard
 * needs no hold: this core is its one writer. Held for the same recipient and message again (a retry), the message goes
 * on and this core answers it as a duplicate; held for another, it is refused 409 {@code client_ref_conflict}, nothing
 * stored; the reference's core unreachable: 503 {@code client_ref_unavailable}, nothing stored. A message this core then
 * refuses (over the frequency cap) gives its reference back before it is answered, best effort: if that fails (the
 * reference's node died in between), the reference stays held for that recipient and message (sending it again is
 * answered as before; naming another message with it is refused 409).
 */
public final class ClientRefs {
    private static final Logger LOG = LoggerFactory.getLogger(ClientRefs.class);

    /** Reaches the core of another shard, in-process or on the node that runs it. */
    public interface Keeper {
        /** {@link smppgw.store.MessageStore#reserve} of shard {@code shard}'s core: one answer each, null when held. */
        CompletableFuture<List<String>> reserve(int shard, List<RefReservation> reservations);
    }

    private final Keeper keeper;
    private final int shard;
    private final int shards;

    public ClientRefs(Keeper keeper, int shard, int shards) {
        this.keeper = keeper;
        this.shard = shard;
        this.shards = shards;
    }

    /** The shard whose core holds {@code clientRef} of {@code client}. */
    public static int shardOf(String client, String clientRef, int shards) {
        return Shards.ofCode((client == null ? "" : client) + "/" + clientRef, shards);
    }

    /** Stores {@code messages} with {@code store}, the references of other shards held first; the results in order. */
    CompletableFuture<List<AcceptResult>> accept(List<NewMessage> messages, Function<List<NewMessage>, CompletableFuture<List<AcceptResult>>> store) {
        Map<Integer, List<Integer>> byShard = new TreeMap<>();
        for (int i = 0; i < messages.size(); i++) {
            NewMessage m = messages.get(i);
            int f = m.clientRef() == null ? shard : shardOf(m.client(), m.clientRef(), shards);
            if (f != shard) {
                byShard.computeIfAbsent(f, k -> new ArrayList<>()).add(i);
            }
        }
        if (byShard.isEmpty()) {
            return store.apply(messages);
        }
        AcceptResult[] early = new AcceptResult[messages.size()];
        RefReservation[] held = new RefReservation[messages.size()];
        List<CompletableFuture<?>> asks = new ArrayList<>();
        byShard.forEach((f, idx) -> {
            List<RefReservation> rs = idx.stream().map(i -> reservation(messages.get(i))).toList();
            asks.add(keeper.reserve(f, rs).handle((answers, err) -> {
                for (int j = 0; j < idx.size(); j++) {
                    int i = idx.get(j);
                    if (err != null || answers == null || answers.size() != rs.size()) {
                        early[i] = AcceptResult.refused("client_ref_unavailable");
                    } else if (answers.get(j) == null) {
                        held[i] = rs.get(j);
                    } else {
                        early[i] = new AcceptResult(answers.get(j).isEmpty() ? null : answers.get(j), false, "client_ref_conflict");
                    }
                }
                if (err != null) {
                    LOG.warn("client_refs of shard {} could not be held ({} messages refused, nothing stored): {}", f, idx.size(), err.toString());
                }
                return null;
            }));
        });
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<NewMessage> rest = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (early[i] == null) {
                    rest.add(messages.get(i));
                }
            }
            CompletableFuture<List<AcceptResult>> stored = rest.isEmpty() ? CompletableFuture.completedFuture(List.of()) : store.apply(rest);
            return stored.thenCompose(results -> {
                List<AcceptResult> out = new ArrayList<>(messages.size());
                List<RefReservation> back = new ArrayList<>();
                int k = 0;
                for (int i = 0; i < messages.size(); i++) {
                    AcceptResult r = early[i] != null ? early[i] : results.get(k++);
                    if (held[i] != null && r.refusal() != null && !r.duplicate() && !"client_ref_conflict".equals(r.refusal())) {
                        back.add(held[i].release());
                    }
                    out.add(r);
                }
                return giveBack(back).thenApply(given -> out); // answered once given back: the reference is free from then on
            });
        });
    }

    private static RefReservation reservation(NewMessage m) {
        return new RefReservation(m.client(), m.clientRef(), m.to(), AcceptRule.fingerprint(m), false);
    }

    /** References of messages this core refused, given back to their shards' cores; a failure logged (they stay held). */
    private CompletableFuture<Void> giveBack(List<RefReservation> back) {
        Map<Integer, List<RefReservation>> byShard = new TreeMap<>();
        back.forEach(r -> byShard.computeIfAbsent(shardOf(r.client(), r.clientRef(), shards), k -> new ArrayList<>()).add(r));
        List<CompletableFuture<?>> given = new ArrayList<>();
        byShard.forEach((f, rs) -> given.add(keeper.reserve(f, rs).handle((a, err) -> {
            if (err != null) {
                LOG.warn("{} client_refs of refused messages not given back to shard {} (they stay held for those messages): {}", rs.size(), f,
                        err.toString());
            }
            return null;
        })));
        return CompletableFuture.allOf(given.toArray(CompletableFuture[]::new));
    }
}
