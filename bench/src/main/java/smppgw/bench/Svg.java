package smppgw.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small self-contained SVG line charts for the HTML report. */
final class Svg {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 760;
    private static final int H = 320;
    private static final int L = 70;
    private static final int R = 20;
    private static final int T = 30;
    private static final int B = 45;

    private Svg() {
    }

    /** x ticks are given as (value, label) pairs; each series is a list of {x, y}. */
    static String chart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series, double xMin, double xMax,
                        Map<Double, String> xTicks) {
        double yMax = 1;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                yMax = Math.max(yMax, p[1]);
            }
        }
        yMax = nice(yMax * 1.08);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>", W, H));
        b.append(String.format(Locale.ROOT, "<text x='%d' y='18' font-size='13' font-weight='bold'>%s</text>", L, esc(title)));
        int pw = W - L - R;
        int ph = H - T - B;
        b.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>", L, T, pw, ph));
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = T + ph - ph * i / 5.0;
            b.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#eee'/>", L, L + pw, y, y));
            b.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", L - 5, y + 4, fmt(v)));
        }
        for (Map.Entry<Double, String> t : xTicks.entrySet()) {
            double x = L + pw * (t.getKey() - xMin) / Math.max(1e-9, xMax - xMin);
            b.append(String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#eee'/>", x, x, T, T + ph));
            b.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", x, T + ph + 15, esc(t.getValue())));
        }
        b.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>", L + pw / 2, H - 8, esc(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x='14' y='%d' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>",
                T + ph / 2, T + ph / 2, esc(yLabel)));
        int c = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : s.getValue()) {
                double x = L + pw * (p[0] - xMin) / Math.max(1e-9, xMax - xMin);
                double y = T + ph - ph * p[1] / yMax;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            b.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='1.6' points='%s'/>", color, pts));
            b.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d'>%s</text>",
                    L + 10 + c * 180, T + 6, color, L + 24 + c * 180, T + 15, esc(s.getKey())));
            c++;
        }
        return b.append("</svg>").toString();
    }

    private static double nice(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String fmt(double v) {
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        if (v >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
