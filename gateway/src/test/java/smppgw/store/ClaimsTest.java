package smppgw.store;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimsTest {
    @Test
    void anEntryFromBeforeTheStartIsStaleOnceItsMessageIsQueuedAgainUntilTheFirstNewerEntryIsRead() {
        Claims c = new Claims();
        c.requeued("op", "m1"); // resumed after the start, while op's old entries are unread
        assertTrue(c.stale("op", "m1", true), "its old entry is passed by: the newer one sends it");
        assertTrue(c.stale("op", "m1", true), "every old entry of it");
        assertFalse(c.stale("op", "m2", true), "not queued again: the old entry sends it");
        assertFalse(c.stale("other", "m1", true), "per operator");
        assertFalse(c.stale("op", "m1", false), "the newer entry itself is sent");
        c.requeued("op", "m3");
        assertFalse(c.stale("op", "m3", true), "once a newer entry was read there are no old ones: nothing remembered");
    }

    @Test
    void whoeverClaimsFirstHasTheMessage() {
        Claims c = new Claims();
        assertEquals(Claims.Take.SEND, c.take("a"));
        assertFalse(c.stop("a"), "taken: too late");
        c.release("a");
        assertEquals(0, c.size());

        assertTrue(c.stop("b"));
        assertEquals(Claims.Take.WAIT, c.take("b"), "being journaled: wait for its outcome");
        c.stopped("b");
        assertEquals(Claims.Take.SKIP, c.take("b"));
        assertEquals(0, c.size(), "met once, forgotten");

        assertTrue(c.stop("c"));
        c.abandon("c"); // the journal write failed
        assertEquals(Claims.Take.SEND, c.take("c"), "goes out as if never asked");

        assertEquals(Claims.Take.SKIP, c.take("c"), "a second queue entry of a message being sent is passed by");
    }

    @Test
    void underRacesExactlyOneSideWinsEachMessage() throws Exception {
        int n = 200_000;
        Claims c = new Claims();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread dispatcher = new Thread(() -> {
            await(go);
            for (int i = 0; i < n; i++) {
                Claims.Take t;
                while ((t = c.take("m" + i)) == Claims.Take.WAIT) {
                    Thread.onSpinWait();
                }
                if (t == Claims.Take.SEND) {
                    sent.incrementAndGet();
                }
            }
        });
        Thread journal = new Thread(() -> {
            await(go);
            for (int i = 0; i < n; i++) {
                if (c.stop("m" + i)) {
                    stopped.incrementAndGet();
                    c.stopped("m" + i);
                }
            }
        });
        dispatcher.start();
        journal.start();
        go.countDown();
        dispatcher.join();
        journal.join();
        assertEquals(n, sent.get() + stopped.get(), "each message either sent or stopped, never both, never neither");
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
