package smppgw.api.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import java.util.function.Supplier;

import smppgw.config.GatewayConfig;
import smppgw.intake.Clients;
import smppgw.intake.Intake;
import smppgw.store.MessageStore;

/** The HTTP/JSON interface on Netty: /v1/messages, /health. */
public final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final GatewayConfig.HttpConfig config;
    private final ApiHandler.Routes routes;
    private final ApiHandler.Counters counters = new ApiHandler.Counters();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel channel;

    public HttpApi(GatewayConfig.HttpConfig config, Intake intake, MessageStore store, Clients clients, Supplier<Health> health,
                   smppgw.metrics.Metrics metrics, Admin admin, GatewayConfig.AdminConfig adminConfig,
                   smppgw.config.MetricsConfig metricsConfig, smppgw.tls.TlsContexts.Endpoint tls) {
        this.config = config;
        this.tls = tls;
        this.metricsConfig = metricsConfig;
        MetricsAccess onApiPort = metricsConfig.listen() == null ? MetricsAccess.apiPort(metricsConfig) : null;
        ApiHandler.Routes base = new ApiHandler.Routes(intake, store, clients, config.maxBatch(), health, counters, metrics, null, onApiPort);
        this.routes = new ApiHandler.Routes(intake, store, clients, config.maxBatch(), health, counters, metrics,
                admin == null ? null : new AdminRoutes(admin, store, adminConfig.apiKey(), ApiHandler.optOutRoutes(base), adminConfig.allowedHosts()),
                onApiPort);
        this.metrics = metrics;
        this.handler = () -> new ApiHandler(routes);
    }

    /** A sharded node's HTTP port: each connection's requests go to a handler of {@code front}'s. */
    public HttpApi(GatewayConfig.HttpConfig config, smppgw.metrics.Metrics metrics, smppgw.config.MetricsConfig metricsConfig,
                   smppgw.tls.TlsContexts.Endpoint tls, ShardFront front) {
        this.config = config;
        this.tls = tls;
        this.metricsConfig = metricsConfig;
        this.metrics = metrics;
        this.routes = null;
        this.handler = front::handler;
    }

    private final smppgw.metrics.Metrics metrics;
    private final Supplier<io.netty.channel.ChannelHandler> handler;

    private final smppgw.config.MetricsConfig metricsConfig;
    /** {@code metrics.listen}'s channel, or null. */
    private Channel metricsChannel;

    /** The port {@code /metrics} is served on by itself ({@code metrics.listen}), or -1. */
    public int metricsPort() {
        return metricsChannel == null ? -1 : ((InetSocketAddress) metricsChannel.localAddress()).getPort();
    }

    private void startMetricsListener() {
        MetricsAccess access = MetricsAccess.ownListener(metricsConfig);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(smppgw.api.Transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new io.netty.handler.timeout.IdleStateHandler(0, 0, 60, TimeUnit.SECONDS) {
                            @Override
                            protected void channelIdle(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.timeout.IdleStateEvent e) {
                                ctx.close();
                            }
                        }, new HttpServerCodec(), new HttpObjectAggregator(64 << 10), new MetricsHandler(metrics, access));
                    }
                });
        try {
            metricsChannel = b.bind(metricsConfig.listen().host(), metricsConfig.listen().port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on metrics.listen " + metricsConfig.listen() + ": " + e.getMessage(), e);
        }
        LOG.info("/metrics listening on {}{}", metricsChannel.localAddress(), metricsConfig.apiKey() == null ? "" : " (key required)");
    }

    /** The admin token to write to the data directory (no admin.api-key configured), or null. */
    public String adminToken() {
        return routes == null || routes.admin() == null ? null : routes.admin().generatedToken();
    }

    /** Messages accepted (202) since start. */
    public long accepted() {
        return counters.accepted.get();
    }

    /** Requests refused with a 4xx since start. */
    public long rejected() {
        return counters.rejected.get();
    }

    private smppgw.api.ConnectionGuard guard;
    /** HTTPS (plain HTTP then off), or null. */
    private final smppgw.tls.TlsContexts.Endpoint tls;

    /** Connections open now. */
    public int openConnections() {
        return guard == null ? 0 : guard.open();
    }

    public HttpApi start() throws InterruptedException {
        guard = new smppgw.api.ConnectionGuard("http", config.maxConnections(), config.maxConnectionsPerIp(), ctx -> {
            metrics.connectionsRefused.labelValues("http").inc();
            RequestDeadline.tooManyConnections(ctx);
        });
        long idleMs = config.idleTimeout().toMillis();
        boss = smppgw.api.Transport.group(1, "smppgw-http-boss");
        workers = smppgw.api.Transport.group(config.ioThreads(), "smppgw-http-io");
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(smppgw.api.Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestDeadline d = new RequestDeadline(config.requestTimeout().toMillis(),
                                () -> metrics.slowRequests.labelValues("http").inc());
                        ch.pipeline().addLast(guard, new io.netty.handler.timeout.IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS),
                                d.start(), new HttpServerCodec(), new HttpObjectAggregator(config.maxBodyBytes()), d.done(),
                                handler.get());
                        if (tls != null) {
                            tls.addServerHandlers(ch);
                        }
                    }
                });
        try {
            channel = b.bind(config.listen().host(), config.listen().port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
        LOG.info("HTTP API listening on {}{} ({})", channel.localAddress(), tls == null ? "" : " (HTTPS only)", smppgw.api.Transport.name());
        if (metricsConfig.listen() != null) {
            startMetricsListener();
        }
        return this;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening and closes open connections. Idempotent. */
    @Override
    public void close() {
        smppgw.api.Transport.stop(metricsChannel, channel);
        smppgw.api.Transport.stop(boss, workers);
        metricsChannel = null;
        channel = null;
        boss = null;
    }
}
