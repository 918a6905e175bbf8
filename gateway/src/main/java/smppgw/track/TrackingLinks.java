package smppgw.track;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites every http(s) URL of a text to a short tracking link {@code base/token} (who clicked it is
 * {@link UserAgents}'s business). Tokens are 10 characters of [0-9A-Za-z] from a SecureRandom: about
 * 59 bits (a sharded group's core draws among its shard's: log2(shards) bits fewer), so they cannot be guessed or enumerated.
 */
public final class TrackingLinks {
    /** A URL in a text: scheme, then anything up to white space; trailing punctuation is the sentence's, not the URL's. */
    private static final Pattern URL = Pattern.compile("https?://[^\\s]+", Pattern.CASE_INSENSITIVE);
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int TOKEN_LENGTH = 10;
    /** How many tokens there are: 62^10. */
    private static final long SPACE = 839_299_365_868_340_224L;
    private final SecureRandom random = new SecureRandom();
    /** In a sharded group, only tokens of this core's shard ({@code Shards.ofCode}); else any. */
    private volatile int shard;
    private volatile int shards = 1;

    /** Draws only tokens whose {@link smppgw.route.Shards#ofCode} is {@code shard} (a sharded group's core). */
    public TrackingLinks forShard(int shard, int shards) {
        this.shard = shard;
        this.shards = shards;
        return this;
    }

    /** The rewritten text and the links it now holds: token → original URL, in order. */
    public record Rewritten(String text, Map<String, String> links) {
    }

    /** Replaces every URL of {@code text} with {@code base/token}. */
    public Rewritten rewrite(String text, String base) {
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        Map<String, String> links = new LinkedHashMap<>();
        while (m.find()) {
            String url = m.group();
            String trailing = "";
            while (!url.isEmpty() && ".,;:!?)]}'\"".indexOf(url.charAt(url.length() - 1)) >= 0) {
                trailing = url.charAt(url.length() - 1) + trailing;
                url = url.substring(0, url.length() - 1);
            }
            String token = token();
            links.put(token, url);
            m.appendReplacement(out, Matcher.quoteReplacement(base + "/" + token + trailing));
        }
        m.appendTail(out);
        return new Rewritten(out.toString(), links);
    }

    private String token() {
        while (true) { // of the shard: one draw in `shards` is (entropy: 59.5 bits less log2(shards))
            long n = random.nextLong(SPACE); // one draw per token: 62^10 < 2^63
            char[] c = new char[TOKEN_LENGTH];
            for (int i = 0; i < c.length; i++, n /= ALPHABET.length()) {
                c[i] = ALPHABET.charAt((int) (n % ALPHABET.length()));
            }
            String t = new String(c);
            if (shards == 1 || smppgw.route.Shards.ofCode(t, shards) == shard) {
                return t;
            }
        }
    }

    /** A token as issued: 10 characters of [0-9A-Za-z]. */
    public static boolean isToken(String s) {
        return s.length() == TOKEN_LENGTH && s.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0);
    }
}
