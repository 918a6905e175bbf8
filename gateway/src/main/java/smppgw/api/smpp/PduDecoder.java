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

    PduDecoder(PduTranscoder transcoder) {
        this.transcoder = transcoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
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
            return; // the rest of the frame is still on its way
        }
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
        }
    }
}
