package smppgw.api;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Caps a listener's open connections, in all and per peer address, so that connections nobody uses (or a slow
 * client holding many) cannot take the file descriptors the other listeners and the binds to the SMSCs need. A
 * connection over a cap is told so and closed ({@code refuse}: a 503 over HTTP, a plain close over SMPP, where nothing
 * may come before a bind). One instance per listener, first in every connection's pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final String listener;
    private final int max;
    private final int maxPerPeer;
    private final Consumer<ChannelHandlerContext> refuse;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perPeer = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile long lastWarning;

    /** @param refuse tells a refused connection why, and closes it */
    public ConnectionGuard(String listener, int max, int maxPerPeer, Consumer<ChannelHandlerContext> refuse) {
        this.listener = listener;
        this.max = max;
        this.maxPerPeer = maxPerPeer;
        this.refuse = refuse;
    }

    public int open() {
        return open.get();
    }

    /** Connections refused since start. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress peer = peer(ctx);
        int all = open.incrementAndGet();
        int mine = perPeer.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            perPeer.computeIfPresent(peer, (p, n) -> n.decrementAndGet() <= 0 ? null : n);
        });
        if (all > max || mine > maxPerPeer) {
            refused.incrementAndGet();
            long now = System.nanoTime() / 1_000_000;
            if (now - lastWarning > 10_000) { // once in a while, not once per connection
                lastWarning = now;
                LOG.warn("[{}] connection from {} refused: {} open ({} from it); max-connections {}, max-connections-per-ip {} ({} refused so far)",
                        listener, peer.getHostAddress(), all, mine, max, maxPerPeer, refused.get());
            }
            refuse.accept(ctx);
            return;
        }
        super.channelActive(ctx);
    }

    private static InetAddress peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
    }
}
