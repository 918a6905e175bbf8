package smppgw.smpp;

import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.PduRequest;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * Sends a request PDU without waiting for the write. cloudhopper's {@code sendRequestPdu} blocks until
 * each PDU is flushed (a thread hand-off per message, the ceiling of a sender thread); this does what it
 * does (sequence number, window offer with expiry, encode) and lets Netty write in the background. The
 * response still arrives through the session handler, and expiry through the window monitor.
 */
public final class AsyncRequests {
    /** How a send ended, before any response. */
    public enum Sent { QUEUED, NO_WINDOW, UNENCODABLE }

    private AsyncRequests() {
    }

    /**
     * Offers {@code pdu} to the window (without waiting for a slot) and writes it. If the write later
     * fails, the request is taken back out of the window and {@code onWriteFailure} runs on the I/O thread.
     */
    public static Sent send(SmppSession session, PduRequest<?> pdu, long expiryMs, Runnable onWriteFailure) {
        if (!(session instanceof DefaultSmppSession s) || !s.isBound() || s.getSendWindow().getFreeSize() <= 0) {
            return Sent.NO_WINDOW;
        }
        int seq = s.getSequenceNumber().next();
        pdu.setSequenceNumber(seq);
        ByteBuf buf;
        try {
            buf = s.getTranscoder().encode(pdu);
        } catch (Exception e) {
            return Sent.UNENCODABLE;
        }
        try {
            s.getSendWindow().offer(seq, pdu, 0, expiryMs, false);
        } catch (Exception e) {
            buf.release();
            return Sent.NO_WINDOW; // filled up meanwhile
        }
        GenericFutureListener<io.netty.util.concurrent.Future<? super Void>> onDone = f -> {
            if (!f.isSuccess()) {
                try {
                    s.getSendWindow().cancel(seq);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                onWriteFailure.run();
            }
        };
        s.getChannel().writeAndFlush(buf).addListener(onDone);
        return Sent.QUEUED;
    }
}
