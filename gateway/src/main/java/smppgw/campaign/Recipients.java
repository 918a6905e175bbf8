package smppgw.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A recipient list read one recipient at a time (memory bounded by one line, whatever the list's length): CSV with a
 * header row naming {@code to} and the template fields (RFC 4180 quoting: {@code "a, b"}, {@code ""} for a quote, line
 * breaks inside quotes), or JSON lines ({@code {"to": "+336…", "first_name": "Léa"}} per line). Each recipient comes with
 * the line it starts on; a line that cannot be read comes as an error for that line, and reading goes on.
 */
public final class Recipients {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recipient: the line it starts on, its number as written, its fields ({@code to} not among them); or an error. */
    public record Row(int line, String to, Map<String, String> fields, String error) {
        static Row error(int line, String to, String error) {
            return new Row(line, to, Map.of(), error);
        }
    }

    private Recipients() {
    }

    /** @throws IllegalArgumentException when the header row has no {@code to} column (nothing can be read) */
    public static void csv(Reader in, Consumer<Row> each) throws IOException {
        CsvReader r = new CsvReader(in);
        List<String> header = r.next();
        if (header == null) {
            return;
        }
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        List<String> names = header.stream().map(String::trim).toList();
        int toAt = names.indexOf("to");
        if (toAt < 0) {
            throw new IllegalArgumentException("the header row (line 1) has no 'to' column: " + String.join(",", names));
        }
        List<String> cells;
        while ((cells = r.next()) != null) {
            int line = r.recordLine;
            if (r.badQuote != null) {
                each.accept(Row.error(line, null, r.badQuote));
                continue;
            }
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue; // an empty line
            }
            if (cells.size() != names.size()) {
                each.accept(Row.error(line, cells.size() > toAt ? cells.get(toAt) : null,
                        cells.size() + " columns where the header has " + names.size()));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (i != toAt) {
                    fields.put(names.get(i), cells.get(i));
                }
            }
            each.accept(new Row(line, cells.get(toAt).trim(), fields, null));
        }
    }

    /** JSON lines: one object per line; blank lines are skipped. */
    public static void jsonLines(Reader in, Consumer<Row> each) throws IOException {
        java.io.BufferedReader b = in instanceof java.io.BufferedReader br ? br : new java.io.BufferedReader(in);
        String text;
        int line = 0;
        while ((text = b.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(text);
            } catch (IOException e) {
                each.accept(Row.error(line, null, "not JSON: " + e.getMessage().lines().findFirst().orElse("")));
                continue;
            }
            if (n == null || !n.isObject()) {
                each.accept(Row.error(line, null, "expected a JSON object"));
                continue;
            }
            JsonNode to = n.get("to");
            Map<String, String> fields = new LinkedHashMap<>();
            String bad = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals("to")) {
                    continue;
                }
                if (!f.getValue().isValueNode() || f.getValue().isNull()) {
                    bad = "field " + f.getKey() + " must be a string or a number";
                    break;
                }
                fields.put(f.getKey(), f.getValue().asText());
            }
            if (to == null || !to.isTextual() && !to.isNumber()) {
                each.accept(Row.error(line, null, "'to' is required (a phone number)"));
            } else if (bad != null) {
                each.accept(Row.error(line, to.asText(), bad));
            } else {
                each.accept(new Row(line, to.asText().trim(), fields, null));
            }
        }
    }

    /** RFC 4180 records, counting physical lines. */
    private static final class CsvReader {
        private final Reader in;
        private int line = 1;
        private int peeked = -2;
        int recordLine;
        String badQuote;

        CsvReader(Reader in) {
            this.in = in instanceof java.io.BufferedReader ? in : new java.io.BufferedReader(in);
        }

        private int read() throws IOException {
            if (peeked != -2) {
                int c = peeked;
                peeked = -2;
                return c;
            }
            return in.read();
        }

        /** The next record's cells, or null at the end. */
        List<String> next() throws IOException {
            int c = read();
            if (c == -1) {
                return null;
            }
            recordLine = line;
            badQuote = null;
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (c == -1) {
                    if (quoted) {
                        badQuote = "a quoted value is not closed";
                    }
                    cells.add(cell.toString());
                    return cells;
                }
                if (quoted) {
                    if (c == '"') {
                        int d = read();
                        if (d == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            peeked = d;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n') {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') {
                            peeked = d;
                        }
                    }
                    line++;
                    cells.add(cell.toString());
                    return cells;
                } else {
                    if (wasQuoted && badQuote == null) {
                        badQuote = "text after a closing quote";
                    }
                    cell.append((char) c);
                }
                c = read();
            }
        }
    }
}
