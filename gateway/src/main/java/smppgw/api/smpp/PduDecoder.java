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

    private final PduTranscoder transcoder;

    PduDecoder(PduTranscoder transcoder) {
        this.transcoder = transcoder;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            Pdu pdu = transcoder.decode(in);
            if (pdu != null) {
                out.add(pdu);
            }
        } catch (RecoverablePduException e) {
            Pdu partial = e.getPartialPdu();
            out.add(new Malformed(partial == null ? 0 : partial.getSequenceNumber(), e.getMessage(), true));
        } catch (UnrecoverablePduException e) {
            in.skipBytes(in.readableBytes()); // out of step: nothing after this can be trusted
            out.add(new Malformed(0, e.getMessage(), false));
        }
    }
}
