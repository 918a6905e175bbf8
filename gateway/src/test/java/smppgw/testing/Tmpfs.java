package smppgw.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small tmpfs mounted on a directory of the test's, so that "disk full" is the kernel's ENOSPC (and a
 * SIGBUS for a memory map writing a page it cannot back), not an injected number. Needs root (CI runs as root);
 * elsewhere the test is skipped with the reason.
 */
public final class Tmpfs implements AutoCloseable {
    private final Path dir;
    private final Path filler;

    private Tmpfs(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    public static Tmpfs mount(Path dir, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0755", "tmpfs", dir.toString());
        Assumptions.assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root): the real disk-full test is skipped");
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    public long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Writes a file until the filesystem refuses even one more byte. Returns how much it took. */
    public long fill() throws IOException {
        long written = 0;
        try (OutputStream out = new FileOutputStream(filler.toFile(), true)) {
            for (int chunk : new int[] {1 << 20, 4096, 1}) {
                byte[] b = new byte[chunk];
                while (true) {
                    try {
                        out.write(b);
                        out.flush();
                        written += chunk;
                    } catch (IOException full) {
                        break;
                    }
                }
            }
        }
        return written;
    }

    /** Gives the space back. */
    public void release() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
