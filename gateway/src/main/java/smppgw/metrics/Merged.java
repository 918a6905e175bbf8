package smppgw.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's figures with those of the parts it runs (a sharded node's cores, each with its own registry) as one scrape:
 * each family once, a part's series with its label ({@code shard="3"}) added. The JVM's and the process's figures are
 * the node's alone (a part made as a full registry has them too: left out). Counters, gauges and histograms (classic buckets and native) are what the
 * parts have.
 */
final class Merged {
    private Merged() {
    }

    private record Family(MetricSnapshot first, List<DataPointSnapshot> points) {
    }

    static MetricSnapshots of(MetricSnapshots node, Map<String, MetricSnapshots> parts, String label) {
        Map<String, Family> families = new LinkedHashMap<>();
        for (MetricSnapshot s : node) {
            families.put(s.getMetadata().getPrometheusName(), new Family(s, new ArrayList<>(s.getDataPoints())));
        }
        for (Map.Entry<String, MetricSnapshots> part : parts.entrySet()) {
            for (MetricSnapshot s : part.getValue()) {
                String name = s.getMetadata().getPrometheusName();
                if (name.startsWith("jvm_") || name.startsWith("process_")) {
                    continue;
                }
                Family f = families.computeIfAbsent(name, n -> new Family(s, new ArrayList<>()));
                if (f.first().getClass() != s.getClass()) {
                    continue; // not the same kind of figure under one name: never so among smppgw's registries
                }
                for (DataPointSnapshot p : s.getDataPoints()) {
                    DataPointSnapshot labelled = withLabel(p, label, part.getKey());
                    if (labelled != null) {
                        f.points().add(labelled);
                    }
                }
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        for (Family f : families.values()) {
            MetricSnapshot s = f.first();
            if (s instanceof CounterSnapshot c) {
                out.add(new CounterSnapshot(c.getMetadata(), cast(f.points())));
            } else if (s instanceof GaugeSnapshot g) {
                out.add(new GaugeSnapshot(g.getMetadata(), cast(f.points())));
            } else if (s instanceof HistogramSnapshot h) {
                out.add(new HistogramSnapshot(h.isGaugeHistogram(), h.getMetadata(), cast(f.points())));
            } else {
                out.add(s); // the node's own (info, state sets): the parts add none
            }
        }
        return new MetricSnapshots(out);
    }

    private static DataPointSnapshot withLabel(DataPointSnapshot p, String label, String value) {
        if (p instanceof CounterDataPointSnapshot c) {
            return new CounterDataPointSnapshot(c.getValue(), c.getLabels().add(label, value), c.getExemplar(), c.getCreatedTimestampMillis());
        }
        if (p instanceof GaugeDataPointSnapshot g) {
            return new GaugeDataPointSnapshot(g.getValue(), g.getLabels().add(label, value), g.getExemplar());
        }
        if (p instanceof HistogramDataPointSnapshot h) { // smppgw's histograms keep classic buckets and native ones (the text format writes the classic)
            return new HistogramDataPointSnapshot(h.getClassicBuckets(), h.getNativeSchema(), h.getNativeZeroCount(), h.getNativeZeroThreshold(),
                    h.getNativeBucketsForPositiveValues(), h.getNativeBucketsForNegativeValues(), h.getSum(), h.getLabels().add(label, value),
                    h.getExemplars(), h.getCreatedTimestampMillis());
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(List<DataPointSnapshot> points) {
        return (List<T>) (List<?>) points;
    }
}
