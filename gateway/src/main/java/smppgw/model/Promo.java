package smppgw.model;

/**
 * How a message's {@code {promo}} placeholder becomes a code: {@code length} characters of {@code alphabet}.
 * The store draws it when it accepts the message, unique among every code it has issued; in a sharded group
 * (docs/cluster.md) only among the codes of its shard ({@code route.Shards.ofCode(code, shards) == shard}), so codes are
 * unique in the group and any node can tell which shard to ask about one.
 */
public record Promo(String alphabet, int length, int shard, int shards) {
    public static final String PLACEHOLDER = "{promo}";

    /** Codes of a gateway that is not sharded. */
    public Promo(String alphabet, int length) {
        this(alphabet, length, 0, 1);
    }
}
