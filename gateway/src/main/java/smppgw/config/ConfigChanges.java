package smppgw.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a configuration reload changes, split into what the running gateway applies in place (operator
 * throttles, routes, retries, encodings, bind counts and accounts, clients' keys and rates, backlog
 * bounds) and what only a restart can apply (listeners, the data directory and store, the simulator,
 * the set of operators, and anything that gives a client a notification queue: system-id, webhook,
 * mo-numbers). Turning TLS on or off on a listener needs a restart; its certificate and key files are read again
 * on every reload (new paths included) and new connections get them. Names are the configuration's own ({@code operators[orange].tps}).
 */
public final class ConfigChanges {
    private ConfigChanges() {
    }

    /** Settings that differ and cannot be applied to a running gateway; empty if a reload can apply everything. */
    public static List<String> needingRestart(GatewayConfig from, GatewayConfig to) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(from.dataDir(), to.dataDir())) {
            out.add("data-dir");
        }
        if (!Objects.equals(from.defaultCountryCode(), to.defaultCountryCode())) {
            out.add("default-country-code");
        }
        out.addAll(fields("http", from.http(), to.http()));
        out.addAll(fields("smpp-server", from.smppServer(), to.smppServer()));
        out.addAll(fields("admin", from.admin(), to.admin()));
        out.addAll(fields("metrics", from.metrics(), to.metrics()));
        out.addAll(fields("smpp-client", from.smppClient(), to.smppClient()));
        out.addAll(fields("store", from.store(), to.store()));
        out.addAll(fields("log", from.log(), to.log()));
        out.addAll(fields("compliance", from.compliance(), to.compliance()));
        out.addAll(fields("tracking", from.tracking(), to.tracking()));
        out.addAll(fields("simulator", from.simulator(), to.simulator()));
        Set<String> before = new LinkedHashSet<>(from.operators().stream().map(OperatorConfig::name).toList());
        Set<String> after = new LinkedHashSet<>(to.operators().stream().map(OperatorConfig::name).toList());
        for (String op : before) {
            if (!after.contains(op)) {
                out.add("operators[" + op + "] removed");
            }
        }
        for (String op : after) {
            if (!before.contains(op)) {
                out.add("operators[" + op + "] added");
            }
        }
        if (before.equals(after) && !from.receiptDomains().equals(to.receiptDomains())) {
            to.receiptDomains().forEach((op, d) -> {
                if (!d.equals(from.receiptDomains().get(op))) {
                    out.add("operators[" + op + "].binds: " + (d.equals(op) ? "no longer share an SMSC account with "
                            + from.receiptDomains().get(op) : "now share an SMSC account with " + d) + " (receipts are matched per account)");
                }
            });
        }
        Map<String, ClientConfig> a = byName(from.clients());
        Map<String, ClientConfig> b = byName(to.clients());
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String c : names) {
            ClientConfig x = a.get(c);
            ClientConfig y = b.get(c);
            if (!Objects.equals(notification(x), notification(y))) {
                out.add("clients[" + c + "] " + (x == null ? "added with" : y == null ? "removed with" : "changed")
                        + " system-id, webhook or mo-numbers");
            }
        }
        return out;
    }

    /** Settings a reload applies in place, for the log and the admin answer. */
    public static List<String> applied(GatewayConfig from, GatewayConfig to) {
        List<String> out = new ArrayList<>(fields("intake", from.intake(), to.intake()));
        Map<String, OperatorConfig> ops = new LinkedHashMap<>();
        from.operators().forEach(o -> ops.put(o.name(), o));
        for (OperatorConfig o : to.operators()) {
            OperatorConfig was = ops.get(o.name());
            if (was != null) {
                out.addAll(fields("operators[" + o.name() + "]", was, o));
            }
        }
        Map<String, ClientConfig> a = byName(from.clients());
        Map<String, ClientConfig> b = byName(to.clients());
        a.forEach((name, c) -> {
            if (!b.containsKey(name)) {
                out.add("clients[" + name + "] removed");
            }
        });
        b.forEach((name, c) -> {
            if (!a.containsKey(name)) {
                out.add("clients[" + name + "] added");
            } else {
                out.addAll(fields("clients[" + name + "]", a.get(name), c));
            }
        });
        return out;
    }

    /** The components of two records of one type that differ, as {@code prefix.kebab-name}. */
    static List<String> fields(String prefix, Record a, Record b) {
        if (Objects.equals(a, b)) {
            return List.of();
        }
        if (a == null || b == null) {
            return List.of(prefix);
        }
        List<String> out = new ArrayList<>();
        for (RecordComponent rc : a.getClass().getRecordComponents()) {
            try {
                Object x = rc.getAccessor().invoke(a);
                Object y = rc.getAccessor().invoke(b);
                if (x instanceof TlsConfig && y instanceof TlsConfig) {
                    continue; // certificate files are read again in place on every reload, wherever they now are
                }
                if (!Objects.equals(x, y)) {
                    out.add(prefix + "." + kebab(rc.getName()));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, ClientConfig> byName(List<ClientConfig> clients) {
        Map<String, ClientConfig> m = new LinkedHashMap<>();
        clients.forEach(c -> m.put(c.name(), c));
        return m;
    }

    /** What a client's notification queue, webhook sender and SMPP notifier are built from at start. */
    private static List<Object> notification(ClientConfig c) {
        if (c == null || !c.notified() && c.moNumbers().isEmpty()) {
            return null;
        }
        return java.util.Arrays.asList(c.systemId(), c.webhookUrl(), c.webhookSecret(), c.webhookAccepted(), c.webhookRetryFor(),
                c.webhookBackoff(), c.moNumbers(), c.webhookConcurrency(), c.webhookMaxAhead());
    }
}
