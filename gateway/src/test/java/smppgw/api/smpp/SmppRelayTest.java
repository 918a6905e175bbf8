package smppgw.api.smpp;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import smppgw.config.GatewayConfig;
import smppgw.config.HostPort;
import smppgw.testing.Ports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A standby's SMPP port: relays bytes both ways to the active node, and answers ESME_RSYSERR when it cannot. */
class SmppRelayTest {
    private static GatewayConfig.SmppServerConfig config(int port) {
        return new GatewayConfig.SmppServerConfig(new HostPort("127.0.0.1", port), 1, 10, Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(5), 100, 20, null);
    }

    /** bind_transceiver, sequence 7, system_id "acme", password "pw". */
    private static byte[] bind() {
        byte[] body = "acme\0pw\0\0\u0034\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + body.length).putInt(16 + body.length).putInt(0x09).putInt(0).putInt(7).put(body);
        return b.array();
    }

    @Test
    void withNoActiveNodeABindIsAnsweredSystemErrorAndTheConnectionClosed() throws Exception {
        AtomicReference<String> told = new AtomicReference<>();
        try (SmppRelay relay = new SmppRelay(config(Ports.free()), "b", () -> null, told::set).start();
             Socket s = new Socket("127.0.0.1", relay.port())) {
            s.setSoTimeout(5000);
            new DataOutputStream(s.getOutputStream()).write(bind());
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals(23, in.readInt());
            assertEquals(0x80000009, in.readInt(), "bind_transceiver_resp");
            assertEquals(0x08, in.readInt(), "ESME_RSYSERR");
            assertEquals(7, in.readInt(), "the bind's sequence number");
            assertEquals("smppgw\0", new String(in.readNBytes(7), StandardCharsets.US_ASCII));
            assertEquals(-1, in.read(), "then closed");
            assertEquals(1, relay.refused());
        }
    }

    @Test
    void withNoActiveNodeAnythingButABindIsAnsweredGenericNack() throws Exception {
        try (SmppRelay relay = new SmppRelay(config(Ports.free()), "b", () -> null, n -> { }).start();
             Socket s = new Socket("127.0.0.1", relay.port())) {
            s.setSoTimeout(5000);
            new DataOutputStream(s.getOutputStream()).write(java.nio.ByteBuffer.allocate(16).putInt(16).putInt(0x15).putInt(0).putInt(3).array());
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals(16, in.readInt());
            assertEquals(0x80000000, in.readInt(), "generic_nack for an enquire_link");
            assertEquals(0x08, in.readInt());
            assertEquals(3, in.readInt());
            assertEquals(-1, in.read(), "then closed");
        }
    }

    @Test
    void anUnreachableActiveNodeIsReportedAndTheBindAnsweredSystemError() throws Exception {
        AtomicReference<String> told = new AtomicReference<>();
        int nobody = Ports.free();
        try (SmppRelay relay = new SmppRelay(config(Ports.free()), "b", () -> new SmppRelay.Target("a", new HostPort("127.0.0.1", nobody)), told::set).start();
             Socket s = new Socket("127.0.0.1", relay.port())) {
            s.setSoTimeout(5000);
            new DataOutputStream(s.getOutputStream()).write(bind());
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertEquals(23, in.readInt());
            assertEquals(0x80000009, in.readInt());
            assertEquals(0x08, in.readInt());
            assertEquals(7, in.readInt());
            assertEquals("a", told.get());
        }
    }

    @Test
    void bytesGoBothWaysUnchanged() throws Exception {
        try (ServerSocket active = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
             SmppRelay relay = new SmppRelay(config(Ports.free()), "b", () -> new SmppRelay.Target("a", new HostPort("127.0.0.1", active.getLocalPort())),
                     n -> { }).start();
             Socket esme = new Socket("127.0.0.1", relay.port())) {
            esme.setSoTimeout(5000);
            byte[] up = new byte[200_000];
            new java.util.Random(1).nextBytes(up);
            Thread writer = new Thread(() -> {
                try {
                    esme.getOutputStream().write(up);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            try (Socket peer = active.accept()) {
                peer.setSoTimeout(5000);
                byte[] got = new DataInputStream(peer.getInputStream()).readNBytes(up.length);
                assertArrayEquals(up, got, "the ESME's bytes reach the active node as sent");
                byte[] down = "deliver_sm and the rest".getBytes(StandardCharsets.US_ASCII);
                peer.getOutputStream().write(down);
                assertArrayEquals(down, new DataInputStream(esme.getInputStream()).readNBytes(down.length));
            }
            writer.join();
            assertEquals(-1, esme.getInputStream().read(), "the active node's side closed: the ESME's too");
            assertEquals(1, relay.relayed());
        }
    }
}
