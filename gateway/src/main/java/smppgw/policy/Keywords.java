package smppgw.policy;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opt-out and opt-in keywords in handset messages, matched strictly: ignoring case, accents, punctuation and extra
 * spaces, the whole message is a keyword ({@code "Stop."}, {@code "arrêt !"}, {@code "STOP SMS"}), or a keyword followed
 * only by the short code it was sent to or the client's name ({@code "ARRET 36111"}, {@code "STOP ACME"}). A sentence
 * that merely begins with or contains one ({@code "Cancel my appointment please"}) is a reply, never an opt-out.
 */
public final class Keywords {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** What a message asks for. */
    public record Match(String keyword, boolean optOut) {
    }

    private final Map<String, Boolean> keywords = new LinkedHashMap<>();

    public static final List<String> DEFAULT_OPT_OUT = List.of("STOP", "STOP SMS", "ARRET", "ARRÊT", "DESABONNER", "UNSUBSCRIBE",
            "END", "QUIT", "CANCEL", "OPTOUT");
    public static final List<String> DEFAULT_OPT_IN = List.of("START", "UNSTOP");

    /** The shipped keyword lists ({@code compliance.opt-out-keywords} / {@code opt-in-keywords} unset). */
    public static Keywords defaults() {
        return new Keywords(DEFAULT_OPT_OUT, DEFAULT_OPT_IN);
    }

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

    /** The keyword the text is; null if it is not one. */
    public Match match(String text) {
        return match(text, java.util.List.of());
    }

    /**
     * The keyword the text is, alone or followed only by one of {@code qualifiers} (the short code the message was sent
     * to, the client's name); null if it is not one.
     */
    public Match match(String text, java.util.Collection<String> qualifiers) {
        if (text == null) {
            return null;
        }
        String n = normalise(text);
        Boolean whole = keywords.get(n);
        if (whole != null) {
            return new Match(n, whole);
        }
        for (String q : qualifiers) {
            String nq = q == null ? "" : normalise(q);
            if (!nq.isEmpty() && n.endsWith(" " + nq)) {
                String k = n.substring(0, n.length() - nq.length() - 1);
                Boolean b = keywords.get(k);
                if (b != null) {
                    return new Match(k, b);
                }
            }
        }
        return null;
    }
}
