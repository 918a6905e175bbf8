package smppgw.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU per message: the benchmark process's user+sys time (gateway, load generator and simulator together: an upper
 * bound for the gateway), and the journal thread's alone (the gateway's serial stage), over the measured window.
 */
final class Cpu {
    private Cpu() {
    }

    record Snapshot(long processNs, long journalNs) {
    }

    static Snapshot now() {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long journal = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("smppgw-journal")) {
                journal += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return new Snapshot(os.getProcessCpuTime(), journal);
    }

    /** {@code process_us_per_message} and {@code journal_thread_us_per_message} between two snapshots. */
    static Map<String, Object> perMessage(Snapshot from, Snapshot to, long messages) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messages", messages);
        m.put("process_us_per_message", messages == 0 ? 0 : Math.round((to.processNs() - from.processNs()) / 100.0 / messages) / 10.0);
        m.put("journal_thread_us_per_message", messages == 0 ? 0 : Math.round((to.journalNs() - from.journalNs()) / 100.0 / messages) / 10.0);
        return m;
    }
}
