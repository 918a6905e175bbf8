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

    /**
     * Sends a part of {@code req}, {@code bytes} as its body ({@code contentType} if not null), to shard {@code shard}'s core
     * here ({@code shard >= 0}), else to {@code owner} (another node), else to any core here.
     */
    default void part(int shard, ShardFront.Owner owner, FullHttpRequest req, byte[] bytes, String contentType, boolean wasForwarded, Reply r) {
        FullHttpRequest part = new io.netty.handler.codec.http.DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                req.method(), req.uri(), io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        part.headers().set(req.headers()).setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (contentType != null) {
            part.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        try {
            if (shard >= 0) {
                call(shard, part, wasForwarded, r);
            } else if (owner != null) {
                forward(owner, part, part.content().retainedDuplicate(), r);
            } else {
                here(part, wasForwarded, r);
            }
        } finally {
            part.release(); // read by now, as a connection's request is once its handler returns, or copied for the other node
        }
    }

    /** A 503 with {@code Retry-After: 1}: nothing was stored, the request may be sent again. */
    static FullHttpResponse unavailable(String code, String message) {
        FullHttpResponse r = Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE, Json.error(code, null, message));
        r.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.RETRY_AFTER, 1);
        return r;
    }

    /** A 501: what a sharded group does not answer yet. */
    static FullHttpResponse notYet(String what) {
        return Exchange.response(io.netty.handler.codec.http.HttpResponseStatus.NOT_IMPLEMENTED, Json.error("not_implemented", null,
                what + " is not answered by a sharded group yet (docs/cluster.md, step 2)"));
    }
}
