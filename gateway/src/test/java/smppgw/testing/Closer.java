package smppgw.testing;

/** Test teardown: closes what was started, in the order given, skipping what never started (null). */
public final class Closer {
    private Closer() {
    }

    public static void close(AutoCloseable... parts) throws Exception {
        Exception first = null;
        for (AutoCloseable p : parts) {
            if (p == null) {
                continue;
            }
            try {
                p.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
