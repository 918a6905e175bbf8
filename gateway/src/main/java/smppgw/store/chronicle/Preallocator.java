package smppgw.store.chronicle;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import smppgw.store.DiskFullException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Gives a byte range of a file real blocks on disk before anything is written there through a memory map.
 * Chronicle grows its files with {@code ftruncate}, which makes them sparse: the first write to a page the
 * filesystem cannot back is then a SIGBUS (in Java an {@code InternalError}, mid-record), not an error. A
 * range reserved here has its blocks, so a full disk shows up as {@link DiskFullException} before the write.
 *
 * <p>Uses {@code posix_fallocate(3)} (glibc writes zeros itself where the filesystem has no fallocate); where
 * the native call is not available, writes zeros through the file channel. Either way it is only ever called
 * on a range past the queue's write position, which nothing has written yet.
 */
final class Preallocator {
    private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);
    private static final int O_RDWR = 2;
    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;

    interface LibC extends Library {
        int open(String path, int flags, int mode);

        int posix_fallocate(int fd, long offset, long len);

        int close(int fd);
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        if (Boolean.getBoolean("smppgw.preallocate.java")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (Throwable t) {
            LOG.warn("posix_fallocate is not available ({}); disk space is reserved by writing zeros", t.toString());
            return null;
        }
    }

    private Preallocator() {
    }

    /** Whether the native call is used (else zeros are written). */
    static boolean nativeCall() {
        return LIBC != null;
    }

    /**
     * Reserves {@code [offset, offset + length)} of {@code file} (growing the file if the range goes past its end).
     *
     * @throws DiskFullException the filesystem has no room for it (nothing is half-reserved that matters: the
     *                           range is past every byte written)
     */
    static void reserve(Path file, long offset, long length) {
        if (length <= 0) {
            return;
        }
        if (LIBC != null) {
            int fd = LIBC.open(file.toString(), O_RDWR, 0);
            if (fd < 0) {
                throw new java.io.UncheckedIOException(new IOException("cannot open " + file + " to reserve space: errno "
                        + Native.getLastError()));
            }
            try {
                int rc = LIBC.posix_fallocate(fd, offset, length);
                if (rc == ENOSPC || rc == EDQUOT) {
                    throw new DiskFullException("no space left on " + file.getParent() + " to reserve " + (length >> 10) + " KiB of "
                            + file.getFileName());
                }
                if (rc != 0) {
                    throw new java.io.UncheckedIOException(new IOException("posix_fallocate(" + file + ") failed: errno " + rc));
                }
            } finally {
                LIBC.close(fd);
            }
            return;
        }
        reserveWithZeros(file, offset, length);
    }

    /** The fallback: writing zeros (over a range nothing has written) makes the filesystem allocate it, or say ENOSPC. */
    static void reserveWithZeros(Path file, long offset, long length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
            for (long pos = offset, end = offset + length; pos < end; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), end - pos));
                pos += ch.write(zeros, pos);
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No space left") || String.valueOf(e.getMessage()).contains("quota")) {
                throw new DiskFullException("no space left on " + file.getParent() + " to reserve " + (length >> 10) + " KiB of "
                        + file.getFileName());
            }
            throw new java.io.UncheckedIOException(e);
        }
    }
}
