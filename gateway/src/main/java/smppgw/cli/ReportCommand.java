package smppgw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code smppgw report --campaign ID}: a campaign's delivery and read figures, as a table or an HTML page. */
@Command(name = "report", description = "Delivery, read and opt-out figures of a campaign, overall and by hour of sending.")
final class ReportCommand implements Callable<Integer> {
    @Mixin
    AdminClient client;

    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign (as sent in the messages' \"campaign\")")
    String campaign;

    @Option(names = "--tz", paramLabel = "ZONE", defaultValue = "UTC", description = "time zone of the hours of day (default: ${DEFAULT-VALUE})")
    String tz;

    @Option(names = "--html", paramLabel = "FILE", description = "also write an HTML page with charts")
    Path html;

    @Override
    public Integer call() {
        return AdminCommands.run(() -> {
            JsonNode r = client.call("GET", "/admin/campaigns/" + URLEncoder.encode(campaign, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/report?tz=" + URLEncoder.encode(tz, StandardCharsets.UTF_8));
            System.out.print(table(r));
            if (html != null) {
                Files.writeString(html, html(r));
                System.out.println("wrote " + html);
            }
            return null;
        });
    }

    static String table(JsonNode r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("campaign %s (hours in %s): %d messages%n", r.path("campaign").asText(), r.path("time_zone").asText(),
                r.path("messages").asInt()));
        b.append(String.format("delivered %d (%s), read %d (%s of %d reached)", r.path("delivered").asInt(), pct(r.path("delivery_rate")),
                r.path("read").asInt(), pct(r.path("read_rate")), r.path("reached").asInt()));
        r.path("read_by_via").fields().forEachRemaining(e -> b.append(String.format(", %s %d", e.getKey(), e.getValue().path("read").asInt())));
        b.append(String.format("; opted out %d (%s)%n", r.path("opted_out").asInt(), pct(r.path("opt_out_rate"))));
        b.append(String.format("apart: read after a failed receipt %d (the carrier's error), unattributed %d (never taken by the carrier),"
                        + " machine signals on %d (%d); clicks %d unique, %d raw%n", r.path("read_after_failed_receipt").asInt(),
                r.path("unattributed").asInt(), r.at("/non_human/messages").asInt(), r.at("/non_human/signals").asInt(),
                r.at("/clicks/unique").asInt(), r.at("/clicks/raw").asInt()));
        b.append(String.format("time to deliver: median %s, p90 %s; time to read: median %s, p90 %s%n",
                dur(r.at("/time_to_deliver_s/median")), dur(r.at("/time_to_deliver_s/p90")), dur(r.at("/time_to_read_s/median")),
                dur(r.at("/time_to_read_s/p90"))));
        b.append(String.format("%n%-5s %9s %10s %7s %10s %20s%n", "hour", "messages", "delivered", "read", "read-rate", "median time to read"));
        r.path("by_hour").forEach(h -> b.append(String.format("%02d:00 %9d %10d %7d %10s %20s%n", h.path("hour").asInt(),
                h.path("messages").asInt(), h.path("delivered").asInt(), h.path("read").asInt(), pct(h.path("read_rate")),
                dur(h.at("/time_to_read_s/median")))));
        if (r.path("variants").size() > 0) {
            b.append(String.format("%n%-8s %10s %10s %7s %10s %10s %11s %10s%n", "variant", "recipients", "delivered", "read", "read-rate",
                    "converted", "conversion", "opted out"));
            r.path("variants").forEach(v -> b.append(String.format("%-8s %10d %10d %7d %10s %10d %11s %10d%n", v.path("name").asText(),
                    v.path("recipients").asInt(), v.path("delivered").asInt(), v.path("read").asInt(), pct(v.path("read_rate")),
                    v.path("converted").asInt(), pct(v.path("conversion_rate")), v.path("opted_out").asInt())));
            JsonNode t = r.path("winner_test");
            if (!t.isMissingNode()) {
                b.append(String.format("%s ahead on %s (%s vs %s for %s), p = %.4f: %s%n", t.path("leader").asText(), t.path("metric").asText(),
                        pct(t.path("leader_rate")), pct(t.path("runner_up_rate")), t.path("runner_up").asText(), t.path("p_value").asDouble(),
                        r.path("winner").isObject() ? "the winner" : "no winner yet (not significant at 0.05)"));
            }
        }
        JsonNode f = r.path("follow_up");
        if (f.isObject()) {
            b.append(String.format("follow-up: %d sent, %d delivered, %d read (%s)%n", f.path("recipients").asInt(), f.path("delivered").asInt(),
                    f.path("read").asInt(), pct(f.path("read_rate"))));
        }
        return b.toString();
    }

    private static String pct(JsonNode ratio) {
        return String.format("%.1f%%", ratio.asDouble() * 100);
    }

    private static String dur(JsonNode seconds) {
        if (seconds.isMissingNode()) {
            return "-";
        }
        double s = seconds.asDouble();
        return s < 120 ? String.format("%.1f s", s) : s < 7200 ? String.format("%.0f min", s / 60) : String.format("%.1f h", s / 3600);
    }

    /** A page with the figures and two bar charts by hour: read rate, and median time to read. */
    static String html(JsonNode r) {
        StringBuilder bars = new StringBuilder();
        StringBuilder times = new StringBuilder();
        double maxTime = 1;
        for (JsonNode h : r.path("by_hour")) {
            maxTime = Math.max(maxTime, h.at("/time_to_read_s/median").asDouble(0));
        }
        for (JsonNode h : r.path("by_hour")) {
            int x = 40 + h.path("hour").asInt() * 30;
            double rate = h.path("read_rate").asDouble();
            bars.append(String.format("<rect x='%d' y='%.0f' width='24' height='%.0f' fill='#3b7dd8'><title>%02d:00 %s</title></rect>",
                    x, 210 - rate * 200, rate * 200, h.path("hour").asInt(), pct(h.path("read_rate"))));
            double t = h.at("/time_to_read_s/median").asDouble(0);
            times.append(String.format("<rect x='%d' y='%.0f' width='24' height='%.0f' fill='#d8833b'><title>%02d:00 %s</title></rect>",
                    x, 210 - t / maxTime * 200, t / maxTime * 200, h.path("hour").asInt(), dur(h.at("/time_to_read_s/median"))));
        }
        StringBuilder axis = new StringBuilder();
        for (int hour = 0; hour < 24; hour += 3) {
            axis.append(String.format("<text x='%d' y='228' font-size='11'>%02d</text>", 44 + hour * 30, hour));
        }
        String esc = table(r).replace("&", "&amp;").replace("<", "&lt;");
        return "<!doctype html><html><head><meta charset='utf-8'><title>smppgw campaign " + r.path("campaign").asText().replace("<", "&lt;")
                + "</title></head><body style='font-family:sans-serif'><h1>Campaign " + r.path("campaign").asText().replace("<", "&lt;")
                + "</h1><pre>" + esc + "</pre>"
                + "<h2>Read rate by hour of sending</h2><svg width='780' height='240'>" + bars + axis + "</svg>"
                + "<h2>Median time to read by hour of sending (tallest: " + dur(jsonSeconds(maxTime)) + ")</h2><svg width='780' height='240'>"
                + times + axis + "</svg></body></html>\n";
    }

    private static JsonNode jsonSeconds(double seconds) {
        return AdminClient.JSON.getNodeFactory().numberNode(seconds);
    }
}
