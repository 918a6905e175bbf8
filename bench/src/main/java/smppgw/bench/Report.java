package smppgw.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario's results: printed as a table, written as JSON and as a self-contained HTML page with
 * throughput-over-time and latency-percentile plots.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String scenario;
    private final Map<String, Object> settings;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> charts = new ArrayList<>();
    private final Map<String, Object> series = new LinkedHashMap<>();

    Report(String scenario, Map<String, Object> settings) {
        this.scenario = scenario;
        this.settings = settings;
    }

    Report put(String key, Object value) {
        results.put(key, value);
        return this;
    }

    /** Latency percentiles of an HdrHistogram recorded in microseconds, reported in milliseconds. */
    static Map<String, Object> percentilesMs(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9}) {
            m.put("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)).replace('.', '_'), h.getValueAtPercentile(p) / 1000.0);
        }
        m.put("max", h.getMaxValue() / 1000.0);
        return m;
    }

    /** Per-second counts (epoch second → count) as lines over seconds since {@code startSecond}. */
    Report timeline(String title, String yLabel, Map<String, TreeMap<Long, Long>> lines, long startSecond) {
        Map<String, List<double[]>> s = new LinkedHashMap<>();
        double xMax = 1;
        for (Map.Entry<String, TreeMap<Long, Long>> e : lines.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            if (!e.getValue().isEmpty()) {
                for (long sec = e.getValue().firstKey(); sec <= e.getValue().lastKey(); sec++) {
                    pts.add(new double[] {sec - startSecond, e.getValue().getOrDefault(sec, 0L)});
                    xMax = Math.max(xMax, sec - startSecond);
                }
            }
            s.put(e.getKey(), pts);
        }
        Map<Double, String> ticks = new TreeMap<>();
        double step = Math.max(1, Math.ceil(xMax / 10));
        for (double x = 0; x <= xMax; x += step) {
            ticks.put(x, String.valueOf((long) x));
        }
        charts.add(Svg.chart(title, "seconds", yLabel, s, 0, xMax, ticks));
        series.put(title, s);
        return this;
    }

    /** Latency by percentile on a "nines" axis (log of 1/(1-p)), the way HdrHistogram plots it. */
    Report percentileChart(String title, Map<String, Histogram> hs) {
        Map<String, List<double[]>> s = new LinkedHashMap<>();
        for (Map.Entry<String, Histogram> e : hs.entrySet()) {
            List<double[]> pts = new ArrayList<>();
            for (HistogramIterationValue v : e.getValue().percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 0.99999) {
                    break;
                }
                pts.add(new double[] {Math.log10(1 / (1 - p)), v.getValueIteratedTo() / 1000.0});
            }
            s.put(e.getKey(), pts);
        }
        Map<Double, String> ticks = new TreeMap<>();
        ticks.put(0.0, "0%");
        ticks.put(1.0, "90%");
        ticks.put(2.0, "99%");
        ticks.put(3.0, "99.9%");
        ticks.put(4.0, "99.99%");
        charts.add(Svg.chart(title, "percentile", "ms", s, 0, 4.2, ticks));
        series.put(title, s);
        return this;
    }

    /** Prints the table and writes {@code <scenario>-<time>.json} and {@code .html} into {@code out}. */
    Path write(Path out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", scenario);
        doc.put("when", Instant.now().toString());
        doc.put("machine", Environment.describe());
        doc.put("settings", settings);
        doc.put("results", results);
        System.out.println();
        System.out.println("== smppgw-bench " + scenario + " ==");
        print(doc, "");
        Files.createDirectories(out);
        String stem = scenario + "-" + Instant.now().toString().replace(':', '-');
        Map<String, Object> withSeries = new LinkedHashMap<>(doc);
        withSeries.put("series", series);
        Files.writeString(out.resolve(stem + ".json"), JSON.writeValueAsString(withSeries));
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset='utf-8'><title>smppgw-bench ")
                .append(scenario).append("</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}"
                        + "pre{background:#f6f6f6;padding:1em}</style></head><body><h1>smppgw-bench: ").append(scenario).append("</h1>");
        for (String c : charts) {
            html.append("<div>").append(c).append("</div>");
        }
        html.append("<pre>").append(Svg.esc(JSON.writeValueAsString(doc))).append("</pre></body></html>");
        Path file = out.resolve(stem + ".html");
        Files.writeString(file, html);
        System.out.println("report: " + file.toAbsolutePath() + " (and .json)");
        return file;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> m, String indent) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                System.out.println(indent + e.getKey() + ":");
                print((Map<String, Object>) sub, indent + "  ");
            } else {
                System.out.printf("%s%-28s %s%n", indent, e.getKey(), e.getValue());
            }
        }
    }
}
