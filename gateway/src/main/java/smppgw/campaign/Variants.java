package smppgw.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A campaign's variants and the draw of a recipient's: by weight, from a hash of the campaign and the number, so the same
 * recipient gets the same variant on every upload, restart or replay (and a split can be checked afterwards).
 */
public final class Variants {
    /** One variant: its name, its text and its weight (a positive number; shares are weight / total). */
    public record Variant(String name, Template template, double weight) {
    }

    private final List<Variant> variants;
    private final double total;

    public Variants(List<Variant> variants) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("no variants");
        }
        this.variants = List.copyOf(variants);
        this.total = variants.stream().mapToDouble(Variant::weight).sum();
    }

    public List<Variant> all() {
        return variants;
    }

    /** The variant of {@code number} in {@code campaign}. */
    public Variant pick(String campaign, String number) {
        double u = uniform(campaign, number) * total;
        double acc = 0;
        for (Variant v : variants) {
            acc += v.weight();
            if (u < acc) {
                return v;
            }
        }
        return variants.get(variants.size() - 1);
    }

    /** A number in [0, 1) from SHA-256 of campaign and number: uniform, and the same every time. */
    static double uniform(String campaign, String number) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((campaign + "\n" + number).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = bits << 8 | (h[i] & 0xFF);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
