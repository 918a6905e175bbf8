package smppgw.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a parsed YAML document that reads typed values and collects every problem with its
 * key path, so one pass reports all mistakes: {@code file: operators[1].tps = -3 (expected >= 0)}.
 */
final class Node {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String file;
    private final String path;
    private final JsonNode json;
    private final List<String> problems;
    private final Set<String> read = new LinkedHashSet<>();

    /** Environment variables for {@code ${NAME}} in values. */
    private java.util.function.UnaryOperator<String> env = System::getenv;
    /** Set when a secret is written in the file itself (not a -file, not ${ENV}): shared by every node of one file. */
    private boolean[] literalSecret = new boolean[1];
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    Node(String file, String path, JsonNode json, List<String> problems) {
        this.file = file;
        this.path = path;
        this.json = json;
        this.problems = problems;
    }

    static Node root(String file, JsonNode json, List<String> problems, java.util.function.UnaryOperator<String> env) {
        Node n = new Node(file, "", json, problems);
        n.env = env;
        n.literalSecret = new boolean[1];
        return n;
    }

    private Node inherit(Node child) {
        child.env = env;
        child.literalSecret = literalSecret;
        return child;
    }

    /** Whether any secret of this file is written in it (rather than in a -file or the environment). */
    boolean holdsLiteralSecrets() {
        return literalSecret[0];
    }

    /** The configuration file this node was read from, as it was named. */
    String file() {
        return file;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        read.add(key);
        JsonNode v = json.get(key);
        return v != null && !v.isNull();
    }

    void problem(String key, Object value, String expected) {
        problems.add(file + ": " + path(key) + " = " + value + " (expected " + expected + ")");
    }

    void problem(String message) {
        problems.add(file + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    /** After reading a section: every key not asked for is an error. */
    void rejectUnknownKeys() {
        if (!json.isObject()) {
            return;
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!read.contains(key)) {
                problems.add(file + ": " + path(key) + ": unknown key (expected one of: " + String.join(", ", read) + ")");
            }
        }
    }

    /** The keys of a mapping whose keys are data (e.g. number prefixes), each counted as read. */
    List<String> keys() {
        List<String> out = new java.util.ArrayList<>();
        if (json.isObject()) {
            json.fieldNames().forEachRemaining(k -> {
                read.add(k);
                out.add(k);
            });
        }
        return out;
    }

    Node child(String key) {
        read.add(key);
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return inherit(new Node(file, path(key), com.fasterxml.jackson.databind.node.MissingNode.getInstance(), problems));
        }
        if (!v.isObject()) {
            problem(key, v, "a mapping");
            return inherit(new Node(file, path(key), com.fasterxml.jackson.databind.node.MissingNode.getInstance(), problems));
        }
        return inherit(new Node(file, path(key), v, problems));
    }

    List<Node> list(String key) {
        read.add(key);
        JsonNode v = json.get(key);
        List<Node> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problem(key, v, "a list");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = path(key) + "[" + i + "]";
            if (!e.isObject()) {
                problems.add(file + ": " + p + " = " + e + " (expected a mapping)");
                continue;
            }
            out.add(inherit(new Node(file, p, e, problems)));
        }
        return out;
    }

    List<String> strings(String key) {
        read.add(key);
        JsonNode v = json.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            problem(key, v, "a list of strings");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual() && !e.isNumber()) {
                problems.add(file + ": " + path(key) + "[" + i + "] = " + e + " (expected a string)");
            } else {
                out.add(e.asText());
            }
        }
        return out;
    }

    String string(String key, String dflt) {
        read.add(key);
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode() || v.isBoolean()) {
            problem(key, v, "a string");
            return dflt;
        }
        return expand(key, v.asText());
    }

    /** {@code ${NAME}} replaced by the environment variable NAME (a problem when it is not set). */
    private String expand(String key, String value) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                problems.add(file + ": " + path(key) + ": environment variable " + m.group(1) + " is not set");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * A secret: {@code key} in the file (or {@code ${ENV}}), or the first line of the file {@code key-file} names
     * (relative to the configuration file's directory), so the YAML need not hold it. Not both.
     */
    String secret(String key, String dflt) {
        String fileKey = key + "-file";
        String name = string(fileKey, null);
        if (name == null) {
            com.fasterxml.jackson.databind.JsonNode raw = json.get(key);
            if (raw != null && raw.isValueNode() && !raw.isNull() && !raw.asText().isEmpty() && !raw.asText().contains("${")) {
                literalSecret[0] = true;
            }
            return string(key, dflt);
        }
        if (string(key, null) != null) {
            problem(key, "****", "either " + key + " or " + fileKey + ", not both");
        }
        java.nio.file.Path p = java.nio.file.Path.of(name);
        if (!p.isAbsolute()) {
            java.nio.file.Path dir = java.nio.file.Path.of(file).toAbsolutePath().getParent();
            p = dir == null ? p.toAbsolutePath() : dir.resolve(p);
        }
        try {
            String text = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
            String first = text.lines().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                problem(fileKey, p, "a file whose first line is the secret (it is empty)");
                return dflt;
            }
            return first;
        } catch (java.io.IOException | RuntimeException e) {
            problem(fileKey, p, "a readable file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return dflt;
        }
    }

    String requiredString(String key) {
        String s = string(key, null);
        if (s == null && !json.isMissingNode()) {
            problems.add(file + ": " + path(key) + ": missing (required)");
        }
        return s == null ? "" : s;
    }

    boolean bool(String key, boolean dflt) {
        read.add(key);
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            problem(key, v, "true or false");
            return dflt;
        }
        return v.booleanValue();
    }

    long integer(String key, long dflt, long min, long max) {
        read.add(key);
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            problem(key, v, "a whole number between " + min + " and " + max);
            return dflt;
        }
        long n = v.longValue();
        if (n < min || n > max) {
            problem(key, n, min == max - 1 ? String.valueOf(min) : between(min, max));
            return dflt;
        }
        return n;
    }

    double decimal(String key, double dflt, double min, double max) {
        read.add(key);
        JsonNode v = json.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
            problem(key, v, "a number between " + min + " and " + max);
            return dflt;
        }
        return v.doubleValue();
    }

    Duration duration(String key, Duration dflt, Duration min, Duration max) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        Duration d = parseDuration(s);
        if (d == null) {
            problem(key, s, "a duration like 250ms, 30s, 5m, 72h or 7d");
            return dflt;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(key, s, "a duration between " + format(min) + " and " + format(max));
            return dflt;
        }
        return d;
    }

    <E extends Enum<E>> E choice(String key, E dflt, Class<E> type, Function<E, String> spelling) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (spelling.apply(e).equals(s.toLowerCase(Locale.ROOT))) {
                return e;
            }
            names.add(spelling.apply(e));
        }
        problem(key, s, "one of " + String.join(", ", names));
        return dflt;
    }

    /** {@code host:port}; host may be a name, an IPv4 address or a bracketed IPv6 address. */
    HostPort hostPort(String key, String dflt) {
        String s = string(key, dflt);
        HostPort hp = s == null ? null : HostPort.parse(s);
        if (hp == null) {
            problem(key, s, "host:port with a port from 0 to 65535, e.g. 127.0.0.1:8080");
            return HostPort.parse(dflt);
        }
        return hp;
    }

    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static String format(Duration d) {
        return Durations.format(d);
    }

    private static String between(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return ">= " + min;
        }
        return "between " + min + " and " + max;
    }
}
