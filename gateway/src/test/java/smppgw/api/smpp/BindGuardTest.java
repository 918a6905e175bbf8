package smppgw.api.smpp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindGuardTest {
    @Test
    void aSystemIdIsLockedOutAfterFiveFailuresForGrowingTimesAndASuccessClearsIt() {
        BindGuard g = new BindGuard();
        for (int i = 0; i < BindGuard.FREE; i++) {
            assertTrue(!g.failed("acme", "10.0.0." + i, 1000).lockedOut(), "free: " + i);
        }
        assertEquals(30_000, g.failed("acme", "10.0.0.9", 1000).systemIdLockMs(), "the sixth: 30 s");
        assertEquals(31_000, g.lockedUntil("acme", "10.0.0.200", 1500), "any address, that system-id");
        assertEquals(0, g.lockedUntil("globex", "10.0.0.200", 1500), "other system-ids are not affected");
        assertEquals(0, g.lockedUntil("acme", "10.0.0.200", 31_000));
        assertEquals(60_000, g.failed("acme", "10.0.0.9", 31_000).systemIdLockMs(), "then 1 min");
        assertEquals(120_000, g.failed("acme", "10.0.0.9", 91_000).systemIdLockMs(), "then 2 min");
        long ms = 120_000;
        long now = 211_000;
        for (int i = 0; i < 20; i++) {
            ms = g.failed("acme", "10.0.0.9", now).systemIdLockMs();
            now += ms;
        }
        assertEquals(BindGuard.MAX_LOCK_MS, ms, "at most 15 min");
        g.succeeded("acme", "10.0.0.9");
        assertEquals(0, g.lockedUntil("acme", "10.0.0.9", now));
        assertTrue(!g.failed("acme", "10.0.0.9", now).lockedOut(), "counting starts again");
    }

    @Test
    void aQuietWindowAfterTheLockStartsTheCountAgain() {
        BindGuard g = new BindGuard();
        for (int i = 0; i <= BindGuard.FREE; i++) {
            g.failed("acme", "10.0.0.1", 0);
        }
        long after = 30_000 + BindGuard.WINDOW_MS + 1;
        assertTrue(!g.failed("acme", "10.0.0.1", after).lockedOut(), "ten quiet minutes after the lock: free again");
    }

    @Test
    void anAddressTryingManySystemIdsIsLockedOutAfterTwenty() {
        BindGuard g = new BindGuard();
        for (int i = 0; i < BindGuard.FREE_PER_ADDRESS; i++) {
            assertEquals(0, g.failed("id" + i, "192.0.2.7", 1000).addressLockMs());
        }
        assertEquals(30_000, g.failed("id-x", "192.0.2.7", 1000).addressLockMs());
        assertEquals(31_000, g.lockedUntil("acme", "192.0.2.7", 1000), "even a real system-id, from there");
        assertEquals(0, g.lockedUntil("acme", "192.0.2.8", 1000));
    }
}
