package smppgw.journal;

import java.util.List;

/**
 * When what the journal thread wrote counts as durable enough to answer: at once for the embedded store (the journal
 * on this machine's disk), or once a replica has acknowledged it ({@code store.type: kafka}: acceptance means
 * replicated).
 */
public interface Durability {
    /** Answers at once: the local journal is the record. */
    Durability LOCAL = new Durability() {
        @Override
        public void whenDurable(long index, List<Runnable> answers) {
            answers.forEach(Runnable::run);
        }

        @Override
        public String behind() {
            return null;
        }
    };

    /**
     * Runs {@code answers} (in order, on any thread) once every journal record up to {@code index} is durable. The list
     * is the caller's and is cleared when this returns: one that keeps answers for later copies them.
     */
    void whenDurable(long index, List<Runnable> answers);

    /** Null while it keeps up; else why not (new intake is then refused as unavailable, and {@code /health} says so). */
    String behind();

    /**
     * Null normally; else why this process must write nothing more (another runs as this node and owns its journal):
     * the store is then unavailable to everyone, dispatchers included.
     */
    default String stopped() {
        return null;
    }
}
