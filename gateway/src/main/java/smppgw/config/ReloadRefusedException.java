package smppgw.config;

import java.util.List;

/** A reload asked to change settings that only a restart applies; the running configuration stays as it was. */
public final class ReloadRefusedException extends RuntimeException {
    private final List<String> needingRestart;

    public ReloadRefusedException(List<String> needingRestart) {
        super("these settings need a restart: " + String.join(", ", needingRestart) + "; nothing was changed");
        this.needingRestart = List.copyOf(needingRestart);
    }

    public List<String> needingRestart() {
        return needingRestart;
    }
}
