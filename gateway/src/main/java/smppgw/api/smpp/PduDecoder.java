package smppgw.api.smpp;

import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Bytes to PDUs with cloudhopper's transcoder; what cannot be decoded becomes a {@link Malformed} value
 * for the session to answer, never an exception that closes it.
 */
final class PduDecoder extends ByteToMessageDecoder {
    /** Bytes that are not a valid PDU. {@code recoverable}: the stream is still in step (the length was fine). */
    record Malformed(int sequence, String reason, boolean recoverable) {
    }

    /** No PDU is longer: 64 KB of message_payload plus header and mandatory fields. */
    static final int MAX_PDU = 70_000;

    private final PduTranscoder transcoder;
    private final long frameTimeoutMs;
    private final Runnable onStall;
    /** Closes the connection if the frame begun does not arrive whole in time; null between frames. */
    private io.netty.util.concurrent.ScheduledFuture<?> deadline;

    /**
     * @param frameTimeoutMs a PDU must arrive whole this long after its first bytes (a client trickling bytes holds the
     *                       connection no longer); then {@code onStall} runs and the connection is closed
     */
    PduDecoder(PduTranscoder transcoder, long frameTimeoutMs, Runnable onStall) {
        this.transcoder = transcoder;
        this.frameTimeoutMs = frameTimeoutMs;
        this.onStall = onStall;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            awaitRest(ctx);
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length < 16 || length > MAX_PDU) {
            // without this check the transcoder waits for bytes that will never come
            in.skipBytes(in.readableBytes());
            out.add(new Malformed(0, "impossible command_length " + length, false));
            return;
        }
        if (in.readableBytes() < length) {
            awaitRest(ctx);
            return; // the rest of the frame is still on its way
        }
        frameDone();
        try {
            Pdu pdu = transcoder.decode(in);
            if (pdu != null) {
                out.add(pdu);
            }
            in.readerIndex(start + (int) length); // exactly one frame, whatever the body held
        } catch (RecoverablePduException e) {
            in.readerIndex(start + (int) length); // the frame is consumed whole: one answer per frame
            Pdu partial = e.getPartialPdu();
            out.add(new Malformed(partial == null ? in.getInt(start + 12) : partial.getSequenceNumber(), e.getMessage(), true));
        } catch (UnrecoverablePduException e) {
            in.skipBytes(in.readableBytes()); // out of step: nothing after this can be trusted
            out.add(new Malformed(0, e.getMessage(), false));
        } catch (RuntimeException e) {
            // a body that contradicts itself (sm_length past the end of a frame whose command_length is right): the
            // frame is consumed whole and answered; the stream is still in step
            in.readerIndex(start + (int) length);
            out.add(new Malformed(in.getInt(start + 12), "malformed body: " + e.getClass().getSimpleName(), true));
        }
    }

    private void awaitRest(ChannelHandlerContext ctx) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                deadline = null;
                onStall.run();
                ctx.close();
            }, frameTimeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void frameDone() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        frameDone();
    }
}
