package smppgw.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/**
 * Waits for SIGTERM or SIGINT; SIGHUP reloads. Handling the signals (rather than relying on shutdown hooks) lets the
 * daemon stop in order and exit 0 after a clean stop, as systemd expects.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP (on the JVM's signal thread, one at a time). */
    static void onHangup(Runnable action) {
        Signal.handle(new Signal("HUP"), s -> action.run());
    }

    static void awaitTermination() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        stop.await();
    }
}
