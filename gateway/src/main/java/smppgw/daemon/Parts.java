package smppgw.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** Started components, stopped in the reverse order of their start, each told apart in the log when it fails or takes long. */
final class Parts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private record Part(String name, AutoCloseable part) {
    }

    private final Deque<Part> started = new ConcurrentLinkedDeque<>();

    /** @return {@code part} */
    <T extends AutoCloseable> T push(String name, T part) {
        started.push(new Part(name, part));
        return part;
    }

    /** What is running, the last started first. */
    List<AutoCloseable> all() {
        return started.stream().map(Part::part).toList();
    }

    /** Stops every part, the last started first; a part that fails to stop is logged and the others still stop. */
    @Override
    public void close() {
        Part p;
        while ((p = started.pollFirst()) != null) {
            long t0 = System.nanoTime();
            try {
                p.part().close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", p.name(), e.toString());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 200) {
                LOG.info("stopping {} took {} ms", p.name(), ms);
            }
        }
    }
}
