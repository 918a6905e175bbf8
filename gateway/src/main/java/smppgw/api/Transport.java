package smppgw.api;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The listeners' Netty transport: Linux's native epoll where Netty's native library loads (the jar carries it for
 * x86_64 and aarch64), Java NIO elsewhere or when {@code -Dsmppgw.transport=nio}. One request per connection turn
 * is a read, a write and an epoll wait: native epoll makes each of them cheaper (measured: BENCHMARKS.md).
 */
public final class Transport {
    private static final boolean EPOLL = !"nio".equals(System.getProperty("smppgw.transport")) && Epoll.isAvailable();

    private Transport() {
    }

    /** {@code epoll} or {@code nio}. */
    public static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    public static EventLoopGroup group(int threads, String threadName) {
        DefaultThreadFactory f = new DefaultThreadFactory(threadName, true);
        return EPOLL ? new EpollEventLoopGroup(threads, f) : new NioEventLoopGroup(threads, f);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Closes listeners' channels (nulls skipped), waiting up to 2 s each: their ports are free once this returns. */
    public static void stop(io.netty.channel.Channel... channels) {
        for (io.netty.channel.Channel c : channels) {
            if (c != null) {
                c.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** Shuts event loop groups down (nulls skipped), waiting up to 3 s each. */
    public static void stop(EventLoopGroup... groups) {
        for (EventLoopGroup g : groups) {
            if (g != null) {
                g.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(3, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** For outgoing connections. */
    public static Class<? extends io.netty.channel.Channel> socketChannel() {
        return EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class : io.netty.channel.socket.nio.NioSocketChannel.class;
    }
}
