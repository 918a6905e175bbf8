package smppgw.testing;

import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoder;
import com.cloudhopper.smpp.transcoder.DefaultPduTranscoderContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/** SMPP over a plain socket, one PDU at a time: for sending what well-behaved clients never send. */
public final class RawSmpp implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultPduTranscoder transcoder = new DefaultPduTranscoder(new DefaultPduTranscoderContext());

    public RawSmpp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Binds as a transceiver (sequence number 1); the bind_resp's command_status. */
    public int bind(String systemId, String password) throws Exception {
        com.cloudhopper.smpp.pdu.BindTransceiver bind = new com.cloudhopper.smpp.pdu.BindTransceiver();
        bind.setSystemId(systemId);
        bind.setPassword(password);
        bind.setSequenceNumber(1);
        send(bind);
        return read().getCommandStatus();
    }

    public void send(Pdu pdu) throws Exception {
        ByteBuf b = transcoder.encode(pdu);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        sendRaw(bytes);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU from the server; -1 length means the server closed the connection. */
    public Pdu read() throws Exception {
        int len = in.readInt();
        byte[] b = new byte[len];
        ByteBuffer.wrap(b).putInt(len);
        in.readFully(b, 4, len - 4);
        return transcoder.decode(Unpooled.wrappedBuffer(b));
    }

    /** The next PDU that is not a deliver_sm; deliver_sm on the way (receipts owed to this client) are acknowledged. */
    public Pdu readAnswer() throws Exception {
        while (true) {
            Pdu p = read();
            if (p instanceof com.cloudhopper.smpp.pdu.DeliverSm d) {
                send(d.createResponse());
                continue;
            }
            return p;
        }
    }

    /** True if the server closes the connection within 300 ms. */
    public boolean closedByServerQuickly() {
        try {
            socket.setSoTimeout(300);
            int b = in.read();
            socket.setSoTimeout(10_000);
            return b < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True once the server has closed the connection (read returns end of stream). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
