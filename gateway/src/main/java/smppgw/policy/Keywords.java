package smppgw.policy;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opt-out and opt-in keywords in handset messages. A message matches when, ignoring case, accents,
 * punctuation and extra spaces, it is a keyword ({@code "Stop SMS"}, {@code "arrêt !"}) or its first word
 * is one ({@code "STOP please"}). A longer keyword wins over its first word ({@code "STOP SMS"} over
 * {@code "STOP"}); words merely containing a keyword ({@code "stopper"}) do not match.
 */
public final class Keywords {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** What a message asks for. */
    public record Match(String keyword, boolean optOut) {
    }

    private final Map<String, Boolean> keywords = new LinkedHashMap<>();

    public Keywords(List<String> optOut, List<String> optIn) {
        optOut.forEach(k -> keywords.put(normalise(k), true));
        optIn.forEach(k -> keywords.putIfAbsent(normalise(k), false));
    }

    /** Upper case, accents removed, every run of non-letters/digits one space, trimmed: {@code "Arrêt !"} → {@code "ARRET"}. */
    public static String normalise(String s) {
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
        return NOT_WORD.matcher(MARKS.matcher(decomposed).replaceAll("")).replaceAll(" ").trim().toUpperCase(Locale.ROOT);
    }

    /** Opt-out keywords when a handset sends them alone, but ordinary words in ad copy ("the END of the sale"). */
    private static final java.util.Set<String> ORDINARY_WORDS = java.util.Set.of("END", "QUIT", "CANCEL");

    /**
     * True if an opt-out keyword appears anywhere in the text as whole words ({@code "... STOP au 36111"}): the
     * text already tells the recipient how to opt out. Hyphenated words stay one word ({@code week-end}), and
     * END, QUIT and CANCEL do not count: they are too common in ordinary text to be an instruction.
     */
    public boolean mentionsOptOut(String text) {
        String n = " " + normalise(text.replace("-", "")) + " ";
        return keywords.entrySet().stream().anyMatch(e -> e.getValue() && !ORDINARY_WORDS.contains(e.getKey())
                && n.contains(" " + e.getKey() + " "));
    }

    /** The keyword the text is, or starts with as its first word; null if none. */
    public Match match(String text) {
        if (text == null) {
            return null;
        }
        String n = normalise(text);
        Boolean whole = keywords.get(n);
        if (whole != null) {
            return new Match(n, whole);
        }
        int space = n.indexOf(' ');
        if (space > 0) {
            String first = n.substring(0, space);
            Boolean f = keywords.get(first);
            if (f != null) {
                return new Match(first, f);
            }
        }
        return null;
    }
}
