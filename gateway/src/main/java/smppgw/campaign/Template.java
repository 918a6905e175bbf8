package smppgw.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A personalised text: {@code {field}} is the recipient's field, {@code {field|fallback}} the fallback when the recipient
 * has no such field or it is empty; {@code {promo}} is left for the gateway to draw (a unique code per message). Any other
 * brace is text. A field that is missing without a fallback makes that recipient's text impossible:
 * {@link MissingField} names it.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?:\\|([^{}]*))?}");

    /** A recipient lacks a field the text needs and the text gives it no fallback. */
    public static final class MissingField extends RuntimeException {
        private final String field;

        MissingField(String field) {
            super("no value for {" + field + "} (give the recipient a " + field + " column, or write {" + field + "|fallback})");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private final String text;
    private final List<String> fields;

    private Template(String text, List<String> fields) {
        this.text = text;
        this.fields = fields;
    }

    public static Template of(String text) {
        List<String> fields = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("promo") && !fields.contains(m.group(1))) {
                fields.add(m.group(1));
            }
        }
        return new Template(text, List.copyOf(fields));
    }

    /** The fields it reads, in order of first use ({@code promo} not among them). */
    public List<String> fields() {
        return fields;
    }

    public String text() {
        return text;
    }

    /** The text for one recipient. @throws MissingField naming the first field it lacks without a fallback */
    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.equals("promo") && m.group(2) == null) {
                value = m.group(); // the gateway draws the code when it accepts the message
            } else {
                value = values.get(name);
                if (value == null || value.isEmpty()) {
                    if (m.group(2) == null) {
                        throw new MissingField(name);
                    }
                    value = m.group(2);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
