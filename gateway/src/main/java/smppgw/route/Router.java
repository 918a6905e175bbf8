package smppgw.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import smppgw.config.OperatorConfig;

/** Destination number to operator: the longest matching prefix wins, else the default operator, else none. */
public final class Router {
    private final Map<String, String> byPrefix = new HashMap<>();
    private final int longest;
    private final String defaultOperator;

    public Router(List<OperatorConfig> operators) {
        String dflt = null;
        int max = 0;
        for (OperatorConfig op : operators) {
            for (String p : op.prefixes()) {
                byPrefix.put(p, op.name());
                max = Math.max(max, p.length());
            }
            if (op.isDefault()) {
                dflt = op.name();
            }
        }
        this.longest = max;
        this.defaultOperator = dflt;
    }

    /** The operator for an E.164 number, or null if no prefix matches and there is no default. */
    public String route(String e164) {
        for (int len = Math.min(longest, e164.length()); len > 0; len--) {
            String op = byPrefix.get(e164.substring(0, len));
            if (op != null) {
                return op;
            }
        }
        return defaultOperator;
    }
}
