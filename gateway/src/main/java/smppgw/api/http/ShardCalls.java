package smppgw.api.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

/** What a sharded front's connection offers the parts that answer a request from several shards. */
interface ShardCalls {
    /** An answer on its way back: written once, on any thread. */
    interface Reply extends java.util.function.Consumer<FullHttpResponse> {
    }

    void call(int shard, FullHttpRequest req, boolean wasForwarded, Reply reply);

    void forward(ShardFront.Owner o, FullHttpRequest req, io.netty.buffer.ByteBuf content, Reply reply);

    void here(FullHttpRequest req, boolean wasForwarded, Reply reply);

    ChannelHandlerContext ctx();
}
