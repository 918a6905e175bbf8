package smppgw.store.chronicle;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import smppgw.store.DiskFullException;

/**
 * Keeps the disk blocks ahead of one queue's write position reserved ({@link Preallocator}), so that no append
 * ever writes to a page of the memory map that the filesystem has not allocated. Checked before every command
 * the journal thread runs; a system call only every {@link #STEP} bytes. Owned by the journal thread.
 *
 * <p>A queue's daily file is created by its first append of the day, which writes its header at once: that
 * happens only while {@link #CREATE_MIN_FREE} bytes are free (the one moment a full disk could still fault is the
 * time between that check and the header write, once a day per queue).
 */
final class Reservation {
    /** Always this much reserved past the write position, beyond what a command needs: Chronicle's own index arrays (32 KiB) fit. */
    static final long MARGIN = 256 << 10;
    /** Reserved at once, so that a system call is made every megabyte per queue, not every append. */
    static final long STEP = 1 << 20;
    static final long CREATE_MIN_FREE = 2 << 20;

    private final SingleChronicleQueue queue;
    private int cycle = Integer.MIN_VALUE;
    private File file;
    /** Where the last append of this file ended, known after the first append of this process. */
    private long position = -1;
    private long reservedTo;

    Reservation(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    /** Makes sure the next {@code need} bytes the appender writes (plus {@link #MARGIN}) land on reserved blocks. */
    void ensure(ExcerptAppender appender, long need) {
        int now = queue.cycle();
        if (now != cycle) {
            establish(now);
        } else if (appender != null && appender.wire() != null && appender.cycle() == now) {
            position = appender.wire().bytes().writePosition();
        }
        long target = position + need + MARGIN;
        if (target > reservedTo) {
            long from = Math.max(reservedTo, position);
            long to = target + STEP;
            Preallocator.reserve(file.toPath(), from, to - from);
            reservedTo = to;
        }
    }

    /** Finds (creating it if need be) the file this cycle's appends go to, and where they continue. */
    private void establish(int now) {
        SingleChronicleQueueStore store = queue.storeForCycle(now, queue.epoch(), false, null);
        if (store == null) {
            long free = usable();
            if (free < CREATE_MIN_FREE) {
                throw new DiskFullException("no space left on " + queue.file() + " to start a new daily file (" + (free >> 10) + " KiB free)");
            }
            store = queue.storeForCycle(now, queue.epoch(), true, null);
        }
        try {
            file = store.file();
            position = store.writePosition(); // the last record's header: everything before it is written
        } finally {
            queue.closeStore(store);
        }
        cycle = now;
        reservedTo = 0;
    }

    private long usable() {
        try {
            return Files.getFileStore(queue.file().toPath()).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
