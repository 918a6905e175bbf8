package smppgw.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * A lean HTTP/1.1 load generator on Netty: {@code connections} keep-alive connections with one request
 * in flight each, on one I/O thread, so the client costs the machine as little as possible. Closed loop
 * (next request on each response) by default; with a rate, requests are due at fixed intervals and their
 * latency counts from when they were due, so a stall is not hidden (coordinated omission).
 */
final class HttpLoad implements AutoCloseable {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("bench-http", true));
    private final String host;
    private final int port;
    private final String path;
    private final LongFunction<String> body;
    private final AtomicLong seq = new AtomicLong();

    /** {@code errors}: answers other than 202 and failed connections; {@code statuses}: answers by HTTP status. */
    record Result(long requests, long errors, List<String> ids, Histogram latency, double seconds, java.util.Map<Integer, Long> statuses,
                  java.util.TreeMap<Long, Long> worstPerSecondUs) {
    }

    /** @param body the JSON body of request number n */
    HttpLoad(String host, int port, String path, LongFunction<String> body) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.body = body;
    }

    Result run(int connections, int rate, Duration duration, boolean keepIds) throws InterruptedException {
        Run run = new Run(rate, duration, keepIds);
        for (int i = 0; i < connections; i++) {
            Connection c = new Connection(run);
            run.connections.add(c);
            c.channel = connect(c);
        }
        run.begin(); // the schedule starts now: requests due while connections were still opening would count that wait
        Channel loop = run.connections.get(0).channel;
        if (rate > 0) {
            Thread pacer = new Thread(() -> {
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                for (long n = 0; run.start + n * interval < run.end; n++) {
                    long at = run.start + n * interval;
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    run.due.add(at);
                    loop.eventLoop().execute(run::dispatch);
                }
                run.pacerDone = true;
                loop.eventLoop().execute(run::dispatch);
            }, "bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
        } else {
            loop.eventLoop().execute(run::dispatch);
        }
        run.done.await(duration.toSeconds() + 120, TimeUnit.SECONDS);
        run.connections.forEach(c -> c.channel.close());
        return new Result(run.sent, run.errors, new ArrayList<>(run.ids), run.latency, (System.nanoTime() - run.start) / 1e9,
                new java.util.TreeMap<>(run.statuses), run.worst);
    }

    private Channel connect(Connection handler) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), handler);
                    }
                }).connect(host, port).sync().channel();
    }

    /** One run. Every field but {@code due}/{@code pacerDone} is touched only on the single I/O thread. */
    private final class Run {
        final int rate;
        /** Set by {@link #begin} once every connection is up (so connecting is not counted as waiting). */
        long start;
        long end;
        final Duration duration;
        final boolean keepIds;
        final List<Connection> connections = new ArrayList<>();
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        final List<String> ids = new ArrayList<>();
        final ConcurrentLinkedQueue<Long> due = new ConcurrentLinkedQueue<>();
        final CountDownLatch done = new CountDownLatch(1);
        final java.util.Map<Integer, Long> statuses = new java.util.HashMap<>();
        final java.util.TreeMap<Long, Long> worst = new java.util.TreeMap<>();
        volatile boolean pacerDone;
        long sent;
        long errors;

        Run(int rate, Duration d, boolean keepIds) {
            this.rate = rate;
            this.duration = d;
            this.keepIds = keepIds;
        }

        void begin() {
            start = System.nanoTime();
            end = start + duration.toNanos();
        }

        /** Gives work to idle connections; ends the run when there is none left and nothing is in flight. */
        void dispatch() {
            boolean busy = false;
            for (Connection c : connections) {
                if (c.sentAt < 0) {
                    Long at = next();
                    if (at != null) {
                        c.send(at);
                    }
                }
                busy |= c.sentAt >= 0;
            }
            boolean more = rate > 0 ? !pacerDone || !due.isEmpty() : System.nanoTime() < end;
            if (!busy && !more) {
                done.countDown();
            }
        }

        /** The time the next request is due, or null if none is due now. */
        private Long next() {
            if (rate > 0) {
                return due.poll();
            }
            long now = System.nanoTime();
            return now < end ? now : null;
        }
    }

    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Run run;
        Channel channel;
        long sentAt = -1;

        Connection(Run run) {
            this.run = run;
        }

        void send(long intended) {
            sentAt = intended;
            byte[] b = body.apply(seq.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(b));
            req.headers().set(HttpHeaderNames.HOST, host + ":" + port)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, b.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            run.sent++;
            channel.writeAndFlush(req);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            long us = (System.nanoTime() - sentAt) / 1000;
            sentAt = -1;
            run.statuses.merge(resp.status().code(), 1L, Long::sum);
            if (resp.status().code() != 202 && resp.status().code() != 200) {
                run.errors++;
            } else {
                run.latency.recordValue(Math.max(1, us));
                run.worst.merge(System.currentTimeMillis() / 1000, us, Math::max);
                if (run.keepIds) { // every "id" in the answer: one for a message, one per accepted item of a batch
                    String s = resp.content().toString(StandardCharsets.UTF_8);
                    for (int i = s.indexOf("\"id\":\""); i >= 0; i = s.indexOf("\"id\":\"", i + 6)) {
                        run.ids.add(s.substring(i + 6, s.indexOf('"', i + 6)));
                    }
                }
            }
            run.dispatch();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.errors++;
            sentAt = -1;
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
