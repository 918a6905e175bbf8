package smppgw.dispatch;

/** Sends counted in ten 100 ms slots: the rate achieved over the last second. Not thread-safe. */
final class SendRate {
    private static final long SLOT_NS = 100_000_000;
    private final long[] slots = new long[10];
    private long slot;

    void record(long now) {
        advance(now);
        slots[(int) (slot % 10)]++;
    }

    double perSecond(long now) {
        advance(now);
        long sum = 0;
        for (long s : slots) {
            sum += s;
        }
        return sum;
    }

    private void advance(long now) {
        long current = now / SLOT_NS;
        if (current - slot >= 10) {
            java.util.Arrays.fill(slots, 0);
        } else {
            for (long s = slot + 1; s <= current; s++) {
                slots[(int) (s % 10)] = 0;
            }
        }
        slot = Math.max(slot, current);
    }
}
