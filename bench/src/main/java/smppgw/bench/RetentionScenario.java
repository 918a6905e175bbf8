package smppgw.bench;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import smppgw.store.MessageStore;
import smppgw.model.NewMessage;
import smppgw.model.PurgeReport;
import smppgw.store.chronicle.ChronicleMessageStore;
import smppgw.store.chronicle.StateLog;

/**
 * What retention costs: a store filled with {@code --messages} messages, its clock moved past the retention period,
 * then the same paced single-message accept load twice in one run, once alone and once while the purge runs (steps
 * between the journal thread's batches, file deletion, background compaction). Reports purge time and rate, disk
 * before and after, and accept latency (from each request's intended time) in both phases.
 */
@Command(name = "retention", mixinStandardHelpOptions = true, description = "Purge time and its effect on accept latency, same run.")
final class RetentionScenario implements java.util.concurrent.Callable<Integer> {
    @Mixin
    CommonOptions common;
    @Option(names = "--messages", defaultValue = "500000", description = "messages to purge (default ${DEFAULT-VALUE})")
    int messages;
    @Option(names = "--rate", defaultValue = "2000", description = "accepts per second during both phases (default ${DEFAULT-VALUE})")
    int rate;
    @Option(names = "--baseline", defaultValue = "10s", description = "accept load without purge (default ${DEFAULT-VALUE})")
    String baseline;

    /** A clock the scenario moves: the store judges age and names its daily files by it. */
    static final class MovableClock extends Clock {
        final AtomicLong offset = new AtomicLong();

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("messages", messages);
        settings.put("retention", "1d");
        settings.put("accept_rate_per_s", rate);
        settings.put("baseline", baseline);
        settings.put("purge_step", "2000 messages between journal batches");
        Report report = new Report("retention", settings);
        Path dir = Files.createTempDirectory("smppgw-retention-bench");
        MovableClock clock = new MovableClock();
        try (ChronicleMessageStore s = ChronicleMessageStore.open(dir, List.of("op"), java.util.Set.of(), Map.of(), Map.of(),
                Duration.ofHours(1), Duration.ofHours(72), Duration.ofDays(1), 512, 65_536, clock, new StateLog(true, false))) {
            long t0 = System.nanoTime();
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i += 100) {
                List<NewMessage> batch = new ArrayList<>(100);
                for (int j = i; j < Math.min(messages, i + 100); j++) {
                    batch.add(message(j, "Soldes d'hiver -50% sur tout le magasin, code client " + j));
                }
                pending.add(s.accept(batch));
                if (pending.size() >= 8) {
                    pending.remove(0).join();
                }
            }
            pending.forEach(CompletableFuture::join);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            report.put("fill_per_s", Math.round(messages / fillSeconds));
            clock.offset.set(Duration.ofDays(2).toMillis());
            s.accept(List.of(message(-1, "a new day", "daily"))).join(); // today's files exist, so yesterday's can go
            try (MessageStore.QueueReader q = s.openQueue("op")) { // all sent, as the dispatcher would have
                while (q.next() != null) {
                    // read
                }
                q.commit(q.position());
            }
            s.barrier().join();
            long before = size(dir);
            long r0 = System.nanoTime();
            com.fasterxml.jackson.databind.node.ObjectNode reportBefore = smppgw.report.CampaignReport.build(s, "winter", null, ZoneOffset.UTC);
            double reportSeconds = (System.nanoTime() - r0) / 1e9;

            Histogram alone = paced(s, CommonOptions.duration(baseline).toNanos(), null);
            long p0 = System.nanoTime();
            CompletableFuture<PurgeReport> purge = s.purge();
            Histogram during = paced(s, Long.MAX_VALUE, purge);
            PurgeReport r = purge.join();
            double purgeSeconds = (System.nanoTime() - p0) / 1e9;
            long after = size(dir);
            long r1 = System.nanoTime();
            com.fasterxml.jackson.databind.node.ObjectNode reportAfter = smppgw.report.CampaignReport.build(s, "winter", null, ZoneOffset.UTC);
            Map<String, Object> rep = new LinkedHashMap<>();
            rep.put("campaign_messages", reportBefore.get("messages").asLong());
            rep.put("seconds_before_purge", Math.round(reportSeconds * 100) / 100.0);
            rep.put("seconds_after_purge", Math.round((System.nanoTime() - r1) / 1e7) / 100.0);
            rep.put("same_after_purge", reportBefore.equals(reportAfter));
            report.put("campaign_report", rep);

            Map<String, Object> p = new LinkedHashMap<>();
            p.put("purged_messages", r.messages());
            p.put("files_deleted", r.files().size());
            p.put("seconds", Math.round(purgeSeconds * 100) / 100.0);
            p.put("journal_thread_seconds", r.stepsMs() / 1000.0);
            p.put("purged_per_s", Math.round(r.messages() / purgeSeconds));
            p.put("disk_before_mib", before >> 20);
            p.put("disk_after_mib", after >> 20);
            report.put("purge", p);
            report.put("accept_latency_alone_ms", Report.percentilesMs(alone));
            report.put("accept_latency_during_purge_ms", Report.percentilesMs(during));
            report.put("ratio_p99_during_vs_alone", Math.round(during.getValueAtPercentile(99) * 100.0
                    / Math.max(1, alone.getValueAtPercentile(99))) / 100.0);
            Map<String, Histogram> hs = new LinkedHashMap<>();
            hs.put("accept, alone", alone);
            hs.put("accept, during purge", during);
            report.percentileChart("accept latency by percentile", hs);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        report.write(common.out);
        return 0;
    }

    private static NewMessage message(long n, String text) {
        return message(n, text, "winter");
    }

    private static NewMessage message(long n, String text, String campaign) {
        return NewMessage.of("op", "bench", "36111", "+3361" + String.format("%08d", Math.floorMod(n, 100_000_000)), text)
                .campaign(campaign).build();
    }

    /**
     * Single-message accepts at {@code rate}/s for {@code nanos}, or until {@code until} completes; latency from each
     * request's intended start (open loop: a stall counts against every request it delays).
     */
    private Histogram paced(ChronicleMessageStore s, long nanos, CompletableFuture<?> until) {
        Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (long i = 0; ; i++) {
            long intended = start + i * interval;
            if (intended - start >= nanos || (until != null && until.isDone())) {
                break;
            }
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            inFlight.add(s.accept(List.of(message(i, "Votre rendez-vous est confirmé pour demain 10h", "daily"))).thenAccept(x -> {
                synchronized (h) {
                    h.recordValue(Math.max(1, (System.nanoTime() - intended) / 1000));
                }
            }));
        }
        inFlight.forEach(CompletableFuture::join);
        return h;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
