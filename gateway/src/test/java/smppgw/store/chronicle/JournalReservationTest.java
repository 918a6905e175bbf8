package smppgw.store.chronicle;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import smppgw.store.DiskFullException;
import smppgw.testing.Tmpfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal and queues on a real tmpfs filled to the last byte: appends go on into the blocks reserved ahead, then
 * the next reservation fails with {@link DiskFullException} before anything is written (never a SIGBUS in a memory
 * map, never a record committed half-written), and appends resume when space comes back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JournalReservationTest {
    @TempDir
    Path dir;
    private Tmpfs disk;

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aFullDiskStopsAppendsWithAnErrorAndTheyResumeWhenSpaceReturns() throws Exception {
        disk = Tmpfs.mount(dir.resolve("disk"), 16);
        List<String> written = new ArrayList<>();
        byte[] body = "x".repeat(900).getBytes(StandardCharsets.UTF_8);
        try (Journal journal = new Journal(disk.dir(), List.of("op"), List.of("acme"), System::currentTimeMillis);
             Journal.Appenders app = journal.appenders()) {
            for (int i = 0; i < 50; i++) {
                append(app, i, body, written);
            }
            disk.fill();
            assertTrue(disk.free() < 4096, "full: " + disk.free());
            int i = 50;
            DiskFullException full = null;
            while (full == null) { // what was reserved ahead is used up, then the next reservation says so
                try {
                    append(app, i++, body, written);
                } catch (DiskFullException e) {
                    full = e;
                }
                assertTrue(i < 5_000, "never ran out of reserved space");
            }
            assertTrue(full.getMessage().startsWith("no space left on "), full.getMessage());
            int whenFull = written.size();
            assertTrue(whenFull > 50, "appends went on into the reserved blocks: " + whenFull);
            assertThrows(DiskFullException.class, () -> app.reserve(4 * body.length), "still full");

            disk.release();
            for (int k = 0; k < 1_000; k++) { // more than a reservation step
                append(app, i++, body, written);
            }
        }
        try (Journal journal = new Journal(disk.dir(), List.of("op"), List.of("acme"), System::currentTimeMillis)) {
            assertEquals(written, read(journal, "journal"), "every record appended is there, whole, in order; nothing else");
            assertEquals(written, read(journal, "op"), "the queue too");
            assertEquals(written, read(journal, "acme"), "and the notifications");
        }
    }

    @Test
    void zerosReserveBlocksWhereThereIsNoFallocate() throws Exception {
        disk = Tmpfs.mount(dir.resolve("disk"), 4);
        Path f = disk.dir().resolve("f");
        Files.write(f, new byte[0]);
        Preallocator.reserveWithZeros(f, 0, 1 << 20);
        assertEquals(1 << 20, Files.size(f));
        disk.fill();
        assertThrows(DiskFullException.class, () -> Preallocator.reserveWithZeros(f, 1 << 20, 1 << 20));
        disk.release();
        Preallocator.reserveWithZeros(f, 1 << 20, 1 << 20);
        assertEquals(2 << 20, Files.size(f));
    }

    private static void append(Journal.Appenders app, int i, byte[] body, List<String> written) {
        byte[] rec = ("record " + i + " " + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        app.reserve(rec.length * 3L);
        long index = app.append(rec);
        app.enqueue("op", index, rec);
        app.notify("acme", rec);
        written.add("record " + i);
    }

    private static List<String> read(Journal journal, String which) {
        List<String> out = new ArrayList<>();
        var q = which.equals("journal") ? journal.journal() : which.equals("op") ? journal.queue("op") : journal.notifications("acme");
        try (ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return out;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    if (which.equals("op")) {
                        b.readLong();
                    }
                    byte[] data = new byte[(int) b.readRemaining()];
                    b.read(data);
                    String s = new String(data, StandardCharsets.UTF_8);
                    assertTrue(s.endsWith("x".repeat(900)), "whole: " + s.length());
                    out.add(s.substring(0, s.indexOf(' ', "record ".length())));
                }
            }
        }
    }
}
