package smppgw.smpp;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppSessionConfiguration;
import com.cloudhopper.smpp.SmppSessionHandler;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.type.SmppChannelConnectException;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import io.netty.channel.Channel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import java.util.concurrent.ScheduledExecutorService;

import smppgw.tls.TlsContexts;

/**
 * cloudhopper's client with flushes consolidated, and TLS done by Netty's SslHandler from our own context (cloudhopper's SSL support builds its
 * own engine, without host name verification): for a bind configured with {@code tls}, the handshake is completed,
 * the SMSC's certificate checked against the bind's CA and its host (or IP address), before the bind PDU is sent. A
 * failed handshake closes the connection and fails the bind with the reason, counted on the endpoint.
 */
final class TlsSmppClient extends DefaultSmppClient {

    /** A bind's session configuration that asks for TLS through {@code endpoint}. */
    static final class TlsSessionConfiguration extends SmppSessionConfiguration {
        final TlsContexts.Endpoint endpoint;

        TlsSessionConfiguration(SmppBindType type, String systemId, String password, String systemType, TlsContexts.Endpoint endpoint) {
            super(type, systemId, password, systemType);
            this.endpoint = endpoint;
        }
    }

    TlsSmppClient(NioEventLoopGroup group, ScheduledExecutorService monitor) {
        super(group, monitor);
    }

    @Override
    protected DefaultSmppSession createSession(Channel channel, SmppSessionConfiguration config, SmppSessionHandler handler)
            throws SmppTimeoutException, SmppChannelException, InterruptedException {
        // cloudhopper flushes every PDU on its own (one write syscall each); submits come from the dispatcher thread in
        // bursts and deliver_sm_resp from reads: consolidated, one flush carries many PDUs (measured: see BENCHMARKS.md)
        channel.pipeline().addFirst("flush-consolidation", new io.netty.handler.flush.FlushConsolidationHandler(256, true));
        if (config instanceof TlsSessionConfiguration t) {
            SslHandler ssl = t.endpoint.context().newHandler(channel.alloc(), config.getHost(), config.getPort());
            long timeout = Math.max(1000, config.getBindTimeout());
            ssl.setHandshakeTimeoutMillis(timeout);
            channel.pipeline().addFirst("tls-quiet", TlsContexts.quietHandshakeFailures());
            channel.pipeline().addFirst("tls", ssl);
            Future<Channel> handshake = ssl.handshakeFuture();
            if (!handshake.await(timeout + 1000) || !handshake.isSuccess()) {
                t.endpoint.failed();
                channel.close();
                Throwable cause = handshake.cause();
                throw new SmppChannelConnectException("TLS handshake with " + config.getHost() + ":" + config.getPort() + " failed: "
                        + (cause == null ? "no answer within " + timeout + " ms" : TlsContexts.describe(cause)), cause);
            }
        }
        return super.createSession(channel, config, handler);
    }
}
