package smppgw.campaign;

/**
 * Which of two variants does better, and whether it is more than chance: the two-proportion z-test (pooled), two-sided.
 * A winner is named only when its p-value is below 0.05.
 */
public final class Winner {
    public static final double ALPHA = 0.05;

    /** The outcome: the leader (higher rate), the p-value, and whether it is significant. */
    public record Test(String leader, double leaderRate, String other, double otherRate, double z, double pValue) {
        public boolean significant() {
            return pValue < ALPHA;
        }
    }

    private Winner() {
    }

    /** @param xa successes of a out of na; xb of b out of nb. Null when either has no trials. */
    public static Test test(String a, int xa, int na, String b, int xb, int nb) {
        if (na == 0 || nb == 0) {
            return null;
        }
        double pa = (double) xa / na;
        double pb = (double) xb / nb;
        double p = (double) (xa + xb) / (na + nb);
        double se = Math.sqrt(p * (1 - p) * (1.0 / na + 1.0 / nb));
        double z = se == 0 ? 0 : (pa - pb) / se;
        double pValue = se == 0 ? 1 : 2 * (1 - phi(Math.abs(z)));
        return pa >= pb ? new Test(a, pa, b, pb, Math.abs(z), pValue) : new Test(b, pb, a, pa, Math.abs(z), pValue);
    }

    /** The standard normal CDF, through {@link #erfc}. */
    static double phi(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** Complementary error function, relative error below 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
