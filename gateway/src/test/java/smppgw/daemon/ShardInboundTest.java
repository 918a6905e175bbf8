package smppgw.daemon;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardInboundTest {
    @Test
    void aRecordThatIsNeitherReceiptNorHandsetMessageIsLeftOutNotReadForever() {
        for (String bad : new String[]{"not json", "{}", "{\"kind\":\"receipt\",\"operator\":\"fr\"}", "{\"kind\":\"mo\",\"operator\":\"fr\"}",
                "{\"kind\":\"other\",\"operator\":\"fr\",\"from\":\"33611\"}"}) {
            // no recorder: a record left out never reaches one, and completes so the reader goes on past it
            assertTrue(ShardInbound.deliver(bad.getBytes(StandardCharsets.UTF_8), null).isDone(), bad);
            assertTrue(!ShardInbound.deliver(bad.getBytes(StandardCharsets.UTF_8), null).isCompletedExceptionally(), bad);
        }
    }

    @Test
    void aNumberGoesToTheShardOfItsE164FormHoweverTheSmscWritesIt() {
        ShardInbound in = new ShardInbound(12, "33", k -> null, (k, v) -> null);
        int shard = smppgw.route.Shards.of("+33612345678", 12);
        assertEquals(shard, in.shardOf("33612345678"));
        assertEquals(shard, in.shardOf("+33612345678"));
        assertEquals(shard, in.shardOf("0612345678"), "national, with default-country-code 33");
        assertEquals(shard, in.shardOf("0033612345678"));
    }
}
