package smppgw.smpp;

import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.PduResponse;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a response PDU later, from any thread, without blocking. cloudhopper's own
 * {@code sendResponsePdu} waits for the write to finish, which must never happen on a Netty I/O thread
 * nor on the journal thread; this encodes with the session's transcoder and hands the bytes to the channel.
 */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    public static void send(SmppSession session, PduResponse response) {
        if (!(session instanceof DefaultSmppSession s) || s.isClosed()) {
            return; // the bind is gone: the peer will send the request again on its next bind
        }
        try {
            ByteBuf buf = s.getTranscoder().encode(response);
            s.getChannel().writeAndFlush(buf);
        } catch (Exception e) {
            LOG.warn("[bind:{}] cannot send {}: {}", s.getConfiguration().getName(), response.getName(), e.toString());
        }
    }
}
