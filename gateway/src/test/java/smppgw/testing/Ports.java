package smppgw.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for servers a test starts later. They are taken below the kernel's ephemeral range
 * (outgoing connections get their local port from that range): a port handed out by the kernel for a listener and
 * closed again could, between here and the server's bind, become the local port of some connection, and the bind
 * fails with "Address already in use" (seen once: a Kafka broker, which then ended the test JVM).
 */
public final class Ports {
    private static final int LOW = 20_000;
    /** Handed out lately (not bound yet, maybe): never handed out twice in a row. */
    private static final java.util.Set<Integer> RECENT = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Integer, Boolean> eldest) {
            return size() > 2_000;
        }
    });

    private Ports() {
    }

    public static synchronized int free() {
        int high = ephemeralLow() - 1;
        if (high - LOW < 5_000) { // an unusual ephemeral range: let the kernel choose, as before
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        for (int tries = 0; tries < 1_000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, high);
            if (!RECENT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // in use: another
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + high);
    }

    /** The first port of the ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range; 32768 elsewhere). */
    private static int ephemeralLow() {
        // read line by line: Files.readString of this /proc file gives its first character only ("3"), which made every
        // port here the kernel's choice, in the ephemeral range (a Kafka broker's bind lost that race in a full verify)
        try (java.io.BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(r.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
