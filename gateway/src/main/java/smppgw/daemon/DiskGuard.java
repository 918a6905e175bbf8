package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches free space on the data directory. The journal and queues are memory-mapped: writing to a
 * page the filesystem cannot back is a fault, not an error, so the gateway must stop writing well
 * before the disk is full. Below {@code minFree} intake refuses (503 disk_full / ESME_RSYSERR), receipts and
 * handset messages are answered ESME_RX_T_APPN (the SMSC sends them again) and dispatchers hold; above 1.5 ×
 * {@code minFree} (at most {@code minFree} + 256 MB) all resume by themselves. The store itself reserves disk blocks
 * before writing, so a disk that fills faster than this guard looks is an error too, never a fault.
 */
final class DiskGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskGuard.class);

    private final LongSupplier usableBytes;
    private final long minFree;
    private final Runnable onChange;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "smppgw-disk-guard");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean low;

    DiskGuard(LongSupplier usableBytes, long minFree, Runnable onChange) {
        this.usableBytes = usableBytes;
        this.minFree = minFree;
        this.onChange = onChange;
    }

    static LongSupplier usableSpace(Path dir) {
        return () -> {
            try {
                return Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot tell: do not stop the gateway for it
            }
        };
    }

    DiskGuard start() {
        check();
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    void check() {
        long free = usableBytes.getAsLong();
        boolean wasLow = low;
        if (!low && free < minFree) {
            low = true;
            LOG.error("disk space low on the data directory: {} MB free (min-free-disk-mb {}); intake refused, sending held",
                    free >> 20, minFree >> 20);
        } else if (low && free > minFree + Math.min(minFree / 2, 256L << 20)) {
            low = false;
            LOG.warn("disk space back: {} MB free; intake and sending resume", free >> 20);
        }
        if (low != wasLow) {
            onChange.run();
        }
    }

    boolean low() {
        return low;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
