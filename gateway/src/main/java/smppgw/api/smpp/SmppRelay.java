package smppgw.api.smpp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import smppgw.config.GatewayConfig;
import smppgw.config.HostPort;

/**
 * The SMPP server port of a standby node of a failover group: each connection is relayed, byte for byte, to the
 * active node's SMPP server, so an integrator's ESME may bind to any node's address; binds, submits and the receipts
 * and handset messages the active node sends back all pass through unchanged (TLS too: it ends on the active node).
 * With no active node to relay to, the first PDU is answered with ESME_RSYSERR (a bind with its bind_*_resp, anything
 * else with generic_nack) and the connection closed: an ESME binds again later, as after any lost bind. When the
 * active node goes, its relayed connections close with it.
 */
public final class SmppRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmppRelay.class);

    /** The active node to relay to: its node id and its SMPP server's address. */
    public record Target(String nodeId, HostPort smpp) {
    }

    private final GatewayConfig.SmppServerConfig config;
    private final String nodeId;
    private final Supplier<Target> target;
    private final Consumer<String> unreachable;
    private final AtomicLong relayed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    /**
     * @param target      the active node now, or null when none is known
     * @param unreachable told the node id of an active node that refused a relayed connection
     */
    public SmppRelay(GatewayConfig.SmppServerConfig config, String nodeId, Supplier<Target> target, Consumer<String> unreachable) {
        this.config = config;
        this.nodeId = nodeId;
        this.target = target;
        this.unreachable = unreachable;
    }

    /** Connections relayed to the active node since start. */
    public long relayed() {
        return relayed.get();
    }

    /** Connections closed at once since start: no active node known, or it could not be reached. */
    public long refused() {
        return refused.get();
    }

    /** Listens on {@code smpp-server.listen}. @throws IllegalStateException the port cannot be had */
    public SmppRelay start() {
        smppgw.api.ConnectionGuard guard = new smppgw.api.ConnectionGuard("smpp", config.maxConnections(), config.maxConnectionsPerIp(),
                ChannelHandlerContext::close);
        boss = smppgw.api.Transport.group(1, "smppgw-relay-boss");
        workers = smppgw.api.Transport.group(Math.min(2, config.ioThreads()), "smppgw-relay-io");
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(smppgw.api.Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(guard, new Inbound());
                    }
                });
        try {
            channel = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on smpp-server.listen " + config.listen() + ": " + e.getMessage(), e);
        }
        LOG.info("standing by: SMPP on {} relays to the active node", channel.localAddress());
        return this;
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening (the port is free once this returns) and closes relayed connections. Idempotent. */
    @Override
    public void close() {
        smppgw.api.Transport.stop(channel);
        channel = null;
        smppgw.api.Transport.stop(boss, workers);
        boss = null;
    }

    /** An integrator's connection: relayed once the connection to the active node is made; what one side sends, the other gets. */
    private final class Inbound extends Pipe {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Target t = target.get();
            Channel in = ctx.channel();
            if (t == null) {
                LOG.info("standby {}: SMPP connection from {} refused: no active node to relay it to", nodeId, in.remoteAddress());
                refuse(in);
                return;
            }
            Pipe back = new Pipe();
            back.other = in;
            Bootstrap b = new Bootstrap().group(in.eventLoop()).channel(smppgw.api.Transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                    .handler(back);
            b.connect(t.smpp().host(), t.smpp().port()).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    other = f.channel();
                    relayed.incrementAndGet();
                    in.read();
                } else {
                    unreachable.accept(t.nodeId());
                    LOG.warn("standby {}: SMPP connection from {} refused: the active node {} at {} cannot be reached: {}", nodeId,
                            in.remoteAddress(), t.nodeId(), t.smpp(), f.cause().toString());
                    refuse(in);
                }
            });
        }
    }

    /** Answers the connection's first PDU with ESME_RSYSERR, then closes it (or after 5 s without one). */
    private void refuse(Channel in) {
        refused.incrementAndGet();
        in.pipeline().remove(Inbound.class);
        in.pipeline().addLast(new io.netty.handler.timeout.ReadTimeoutHandler(5), new io.netty.handler.codec.LengthFieldBasedFrameDecoder(
                64 << 10, 0, 4, -4, 0), new Refusal());
        in.config().setAutoRead(true);
    }

    /** The response to a PDU that cannot be relayed: its command's response (bind_*_resp) or generic_nack, ESME_RSYSERR. */
    private static final class Refusal extends ChannelInboundHandlerAdapter {
        private static final int ESME_RSYSERR = 0x08;
        private static final int GENERIC_NACK = 0x80000000;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.buffer.ByteBuf pdu = (io.netty.buffer.ByteBuf) msg;
            try {
                if (pdu.readableBytes() < 16) {
                    ctx.close();
                    return;
                }
                int command = pdu.getInt(4);
                int sequence = pdu.getInt(12);
                boolean bind = command == 0x01 || command == 0x02 || command == 0x09; // receiver, transmitter, transceiver
                byte[] systemId = bind ? "smppgw\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII) : new byte[0]; // as the server's own
                io.netty.buffer.ByteBuf resp = ctx.alloc().buffer(16 + systemId.length).writeInt(16 + systemId.length)
                        .writeInt(bind ? command | GENERIC_NACK : GENERIC_NACK).writeInt(ESME_RSYSERR).writeInt(sequence).writeBytes(systemId);
                ctx.channel().config().setAutoRead(false); // one answer per connection
                ctx.writeAndFlush(resp);
                // closed a second later, as the SMPP server does after a refused bind: some clients (jSMPP) lose a response
                // whose connection closes right behind it
                ctx.executor().schedule(() -> ctx.close(), 1, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                pdu.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a read timeout, a frame too long: nothing to answer
        }
    }

    /** One side of a relayed connection: what it reads is written to the other side; when it closes, so does the other. */
    private static class Pipe extends ChannelInboundHandlerAdapter {
        Channel other;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read(); // the active node's side: read from the start
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (other != null && other.isActive()) {
                other.writeAndFlush(msg).addListener(readMoreOrClose(ctx.channel()));
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(other);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            closeOnFlush(ctx.channel());
        }
    }

    /** Once a write is done, the side it came from may be read again (so a slow reader slows the writer); a failed write closes it. */
    private static ChannelFutureListener readMoreOrClose(Channel from) {
        return f -> {
            if (f.isSuccess()) {
                from.read();
            } else {
                f.channel().close();
                from.close();
            }
        };
    }

    private static void closeOnFlush(Channel ch) {
        if (ch != null && ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
