package smppgw.api.http;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sharded node's calls to the other nodes of its group on their internal paths (SMPP submits for their shards,
 * client_refs their shards hold): keep-alive connections of this node's own, at most {@value #MAX_PER_NODE} to each node,
 * one request at a time on each; a call finding them all busy waits its turn (at most {@value #MAX_WAITING} per node,
 * beyond which it is refused as not sent). Everything runs on one event loop, so nothing here is locked. Before, each
 * ESME session opened its own connections, up to its window's worth per node.
 */
final class NodeCalls implements AutoCloseable {
    static final int MAX_PER_NODE = 16;
    static final int MAX_WAITING = 10_000;
    private static final long TIMEOUT_MS = 30_000;

    private record Call(FullHttpRequest request, Upstream.Outcome outcome) {
    }

    private final io.netty.handler.ssl.SslContext tls;
    private final long idleMs;
    private final EventLoopGroup group = smppgw.api.Transport.group(1, "smppgw-node-calls");
    private final EventLoop loop = group.next();
    /** By node URL; used on {@link #loop} only. */
    private final Map<String, List<Upstream>> upstreams = new HashMap<>();
    private final Map<String, ArrayDeque<Call>> waiting = new HashMap<>();

    NodeCalls(io.netty.handler.ssl.SslContext tls, long idleMs) {
        this.tls = tls;
        this.idleMs = idleMs;
    }

    /** Sends {@code request} (released once written) to the node at {@code url}; {@code outcome} is told on this pool's loop. */
    void send(String url, FullHttpRequest request, Upstream.Outcome outcome) {
        loop.execute(() -> {
            ArrayDeque<Call> q = waiting.computeIfAbsent(url, u -> new ArrayDeque<>());
            if (q.size() >= MAX_WAITING) {
                request.release();
                outcome.failed(false, new IllegalStateException(MAX_WAITING + " calls already wait for a connection to " + url));
                return;
            }
            q.add(new Call(request, outcome));
            pump(url);
        });
    }

    /** Sends what waits for {@code url} on its idle connections, opening more up to the bound. */
    private void pump(String url) {
        ArrayDeque<Call> q = waiting.get(url);
        List<Upstream> ups = upstreams.computeIfAbsent(url, u -> new ArrayList<>(1));
        while (q != null && !q.isEmpty()) {
            Upstream up = ups.stream().filter(u -> !u.busy()).findFirst().orElse(null);
            if (up == null && ups.size() < MAX_PER_NODE) {
                up = new Upstream(tls, TIMEOUT_MS, idleMs);
                ups.add(up);
            }
            if (up == null) {
                return; // every connection busy: the next answer sends the next call
            }
            Call c = q.poll();
            up.send(loop, url, c.request(), new Upstream.Outcome() {
                @Override
                public void answered(FullHttpResponse response) {
                    try {
                        c.outcome().answered(response);
                    } finally {
                        pump(url);
                    }
                }

                @Override
                public void failed(boolean sent, Throwable cause) {
                    try {
                        c.outcome().failed(sent, cause);
                    } finally {
                        pump(url);
                    }
                }
            });
        }
    }

    @Override
    public void close() {
        loop.execute(() -> upstreams.values().forEach(l -> l.forEach(Upstream::close)));
        smppgw.api.Transport.stop(group);
    }
}
