package smppgw.testing;

import java.time.Duration;

import smppgw.daemon.ShardedNode;

/** Waiting for the nodes of a sharded group of tests. */
public final class Sharded {
    private Sharded() {
    }

    /**
     * Waits until each of {@code nodes} runs its even part of {@code shards} and every one of them knows who runs each shard
     * (its {@code /health}, on {@code ports}, answers 200).
     */
    public static void awaitSplit(ShardedNode[] nodes, int[] ports, int shards) {
        Await.until(Duration.ofSeconds(90), () -> java.util.Arrays.stream(nodes).allMatch(n -> n.shards().size() == shards / nodes.length),
                () -> "shards: " + java.util.Arrays.stream(nodes).map(n -> n.shards().toString()).toList());
        for (int port : ports) {
            Await.until(Duration.ofSeconds(30), () -> new Http(port).get("/health").status() == 200,
                    () -> "node on " + port + " does not know who runs every shard: " + new Http(port).get("/health").body());
        }
    }
}
