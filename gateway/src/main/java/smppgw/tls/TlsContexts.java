package smppgw.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import smppgw.config.TlsConfig;

/**
 * The gateway's TLS contexts: one per listener ({@code http}, {@code smpp-server}) and one per operator and bind
 * {@code tls} section. Built from PEM files with Netty's JDK provider (TLS 1.3 and 1.2); a bind verifies the SMSC's
 * certificate chain against its {@code ca} (else the JVM's trusted CAs) and its host name or IP address against the
 * certificate's subject alternative names. {@link #reload} reads every file again, all or nothing; connections made
 * after it get the new certificates, open ones keep theirs.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** One listener's or SMSC account's TLS: its context (swapped on reload) and its failed handshakes. */
    public static final class Endpoint {
        private final String name;
        private final boolean server;
        private volatile TlsConfig config;
        private volatile SslContext context;
        private final LongAdder failures = new LongAdder();
        private final AtomicLong lastLogged = new AtomicLong();

        private Endpoint(String name, boolean server, TlsConfig config, SslContext context) {
            this.name = name;
            this.server = server;
            this.config = config;
            this.context = context;
        }

        /** {@code http}, {@code smpp-server} or {@code operators[orange]}: the metric's label. */
        public String name() {
            return name;
        }

        public SslContext context() {
            return context;
        }

        /** Handshakes that failed (bad certificate, host name mismatch, plain text to a TLS port, timeout). */
        public long failures() {
            return failures.sum();
        }

        public void failed() {
            failures.increment();
        }

        /**
         * Puts TLS first in a new server connection's pipeline: the handshake, then a watcher that counts a failed one
         * (logged at most once a minute: a port scanner must not flood the log) and closes the connection.
         */
        public void addServerHandlers(Channel ch) {
            ch.pipeline().addFirst("tls-watch", new HandshakeWatcher());
            ch.pipeline().addFirst("tls", context.newHandler(ch.alloc()));
        }

        private final class HandshakeWatcher extends ChannelInboundHandlerAdapter {
            private boolean failedHandshake;

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof SslHandshakeCompletionEvent e) {
                    if (!e.isSuccess()) {
                        failedHandshake = true;
                        failures.increment();
                        long now = System.currentTimeMillis();
                        long last = lastLogged.get();
                        if (now - last >= 60_000 && lastLogged.compareAndSet(last, now)) {
                            LOG.info("[{}] TLS handshake from {} failed: {} (failures so far: {}; logged at most once a minute)",
                                    name, ctx.channel().remoteAddress(), describe(e.cause()), failures.sum());
                        }
                        ctx.close();
                    } else {
                        ctx.pipeline().remove(this);
                    }
                }
                super.userEventTriggered(ctx, evt);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (failedHandshake || isTls(cause)) {
                    ctx.close(); // counted and logged as a failed handshake
                } else {
                    ctx.fireExceptionCaught(cause);
                }
            }
        }
    }

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

    /** A listener's endpoint; its files must be readable and valid. @throws IllegalArgumentException naming what is wrong */
    public synchronized Endpoint server(String name, TlsConfig config) {
        Endpoint e = new Endpoint(name, true, config, build(name, true, config));
        endpoints.put(name, e);
        return e;
    }

    /** {@link #server} at start: a file that cannot be used is a configuration error. */
    public Endpoint listener(String name, TlsConfig config) {
        try {
            Endpoint e = server(name, config);
            LOG.info("{}: TLS with certificate {}", name, config.cert());
            return e;
        } catch (IllegalArgumentException e) {
            throw new smppgw.config.ConfigException(List.of(e.getMessage()));
        }
    }

    /** The endpoint for an operator's bind account with this {@code tls} (shared by equal ones). */
    public synchronized Endpoint client(String operator, TlsConfig config) {
        String key = clientKey(operator, config);
        Endpoint e = endpoints.get(key);
        if (e == null) {
            e = new Endpoint("operators[" + operator + "]", false, config, build("operators[" + operator + "]", false, config));
            endpoints.put(key, e);
        }
        return e;
    }

    /**
     * Reads every endpoint's files again: listeners from {@code servers} (their possibly moved files), binds from their
     * own, and builds the bind {@code tls} sections of a reloaded configuration not seen yet. Nothing changes unless all of
     * them build.
     *
     * @param servers each listener's {@code tls} in the new configuration
     * @param clients each operator's bind {@code tls} sections in the new configuration
     * @return what was read again, for the log
     * @throws IllegalArgumentException one line per file that could not be used; every context is left as it was
     */
    public synchronized List<String> reload(Map<String, TlsConfig> servers, Map<String, List<TlsConfig>> clients) {
        Map<Endpoint, SslContext> next = new LinkedHashMap<>();
        Map<Endpoint, TlsConfig> configs = new LinkedHashMap<>();
        Map<String, Endpoint> added = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints.values()) {
            TlsConfig c = e.server ? servers.get(e.name) : e.config;
            if (c == null) {
                continue;
            }
            try {
                next.put(e, build(e.name, e.server, c));
                configs.put(e, c);
            } catch (IllegalArgumentException x) {
                problems.add(x.getMessage());
            }
        }
        clients.forEach((op, list) -> list.forEach(c -> {
            String key = clientKey(op, c);
            if (!endpoints.containsKey(key) && !added.containsKey(key)) {
                try {
                    added.put(key, new Endpoint("operators[" + op + "]", false, c, build("operators[" + op + "]", false, c)));
                } catch (IllegalArgumentException x) {
                    problems.add(x.getMessage());
                }
            }
        }));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        List<String> done = new ArrayList<>();
        next.forEach((e, ctx) -> {
            e.context = ctx;
            e.config = configs.get(e);
            done.add(e.name + ".tls");
        });
        added.forEach((k, e) -> {
            endpoints.put(k, e);
            done.add(e.name + ".tls (new)");
        });
        return done;
    }

    /** {@link #reload(Map, Map)} with a reloaded configuration's listener and bind {@code tls} sections. */
    public List<String> reload(smppgw.config.GatewayConfig next) {
        Map<String, TlsConfig> servers = new java.util.HashMap<>();
        if (next.http().tls() != null) {
            servers.put("http", next.http().tls());
        }
        if (next.smppServer().tls() != null) {
            servers.put("smpp-server", next.smppServer().tls());
        }
        Map<String, List<TlsConfig>> binds = new java.util.HashMap<>();
        for (smppgw.config.OperatorConfig op : next.operators()) {
            binds.put(op.name(), op.binds().stream().map(smppgw.config.BindConfig::tls).filter(java.util.Objects::nonNull).toList());
        }
        return reload(servers, binds);
    }

    /** Every endpoint, for the metrics. */
    public synchronized List<Endpoint> all() {
        return List.copyOf(endpoints.values());
    }

    private static String clientKey(String operator, TlsConfig c) {
        return "operators[" + operator + "]|" + c;
    }

    private static SslContext build(String name, boolean server, TlsConfig c) {
        try {
            SslContextBuilder b;
            if (server) {
                b = SslContextBuilder.forServer(c.cert().toFile(), c.key().toFile());
            } else {
                b = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
                if (c.ca() != null) {
                    b.trustManager(c.ca().toFile());
                }
                if (c.cert() != null) {
                    b.keyManager(c.cert().toFile(), c.key().toFile());
                }
            }
            return b.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (Exception | LinkageError e) {
            throw new IllegalArgumentException(name + ".tls: cannot use " + files(c) + ": " + describe(e), e);
        }
    }

    /**
     * For a standby forwarding to the active node over HTTPS: trusts the JVM's CAs and every certificate in this
     * node's own {@code cert} file (the nodes of a group usually share a certificate, or its file holds the chain up to
     * their CA). The host name is verified as always.
     */
    public static SslContext trustingOwnChain(TlsConfig own) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(own.cert())) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("own-" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory mine = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            mine.init(ks);
            javax.net.ssl.TrustManagerFactory jvm = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            jvm.init((java.security.KeyStore) null);
            javax.net.ssl.X509TrustManager a = (javax.net.ssl.X509TrustManager) mine.getTrustManagers()[0];
            javax.net.ssl.X509TrustManager b = (javax.net.ssl.X509TrustManager) jvm.getTrustManagers()[0];
            javax.net.ssl.X509TrustManager either = new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String auth) throws java.security.cert.CertificateException {
                    throw new java.security.cert.CertificateException("a client context");
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String auth) throws java.security.cert.CertificateException {
                    try {
                        a.checkServerTrusted(chain, auth);
                    } catch (java.security.cert.CertificateException notOurs) {
                        b.checkServerTrusted(chain, auth);
                    }
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    java.util.List<java.security.cert.X509Certificate> all = new ArrayList<>(List.of(a.getAcceptedIssuers()));
                    all.addAll(List.of(b.getAcceptedIssuers()));
                    return all.toArray(new java.security.cert.X509Certificate[0]);
                }
            };
            return SslContextBuilder.forClient().trustManager(either).endpointIdentificationAlgorithm("HTTPS").sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS).build();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("http.tls: cannot read " + own.cert() + " to trust the other nodes of the group: " + describe(e), e);
        }
    }

    private static String files(TlsConfig c) {
        List<String> f = new ArrayList<>();
        if (c.ca() != null) {
            f.add("ca " + c.ca());
        }
        if (c.cert() != null) {
            f.add("cert " + c.cert());
        }
        if (c.key() != null) {
            f.add("key " + c.key());
        }
        return f.isEmpty() ? "the JVM's trusted CAs" : String.join(", ", f);
    }

    /**
     * An exception and its causes' messages, without repeats: what an operator needs to see in one line. Never the bytes
     * of a plain-text request (Netty puts them in its message: they can hold an API key).
     */
    public static String describe(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 4; c = c.getCause()) {
            if (c instanceof io.netty.handler.ssl.NotSslRecordException) {
                parts.add("not a TLS record (plain text to a TLS port?)");
                break;
            }
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return String.join(": ", parts);
    }

    static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException || c instanceof io.netty.handler.ssl.NotSslRecordException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /**
     * For a client pipeline behind its SslHandler: a failed handshake's exception, already reported by whoever waited for
     * the handshake, closes the connection instead of reaching the pipeline's tail as a stack trace.
     */
    public static io.netty.channel.ChannelHandler quietHandshakeFailures() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (isTls(cause)) {
                    ctx.close();
                } else {
                    ctx.fireExceptionCaught(cause);
                }
            }
        };
    }

    /** Whether a pipeline has TLS first (for tests and the log). */
    public static boolean secured(Channel ch) {
        return ch.pipeline().get(SslHandler.class) != null;
    }
}
