package smppgw.sim;

/** Allows at most {@code tps} events per wall-clock second; 0 means no limit. */
final class Throttle {
    private final int tps;
    private long second = -1;
    private int count;

    Throttle(int tps) {
        this.tps = tps;
    }

    synchronized boolean tryAcquire(long nowMillis) {
        if (tps <= 0) {
            return true;
        }
        long s = nowMillis / 1000;
        if (s != second) {
            second = s;
            count = 0;
        }
        return ++count <= tps;
    }
}
