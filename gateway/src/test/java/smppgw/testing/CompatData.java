package smppgw.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;

/**
 * Writes a small data directory with the version built now, for {@code JournalCompatibilityTest}: the journal, queues
 * and notification queues of real traffic (delivered, undelivered, refused, two-part, scheduled, promo code redeemed,
 * link clicked, reply, STOP from a handset, API opt-out, campaign setting), the files cut to what was written, and
 * {@code expected.json}: what the API answered for each message and list at the end. Run by hand when the journal
 * format is about to change, and commit the output under {@code src/test/resources/compat/<version>}:
 * {@code java -cp ... smppgw.testing.CompatData gateway/src/test/resources/compat/v0.1}.
 */
public final class CompatData {
    private CompatData() {
    }

    /** The configuration the data was written with; {@code %s}: data dir, HTTP port, SMSC port (twice). */
    public static final String CONFIG = """
            data-dir: %s
            http: {listen: "127.0.0.1:%d"}
            log: {state-changes: false}
            tracking: {base-url: "https://go.example.com/r"}
            clients:
              - {name: acme, api-key: acme-key-0123456789, mo-numbers: ["36111"], webhook-url: "http://127.0.0.1:9/hook", webhook-secret: "0123456789abcdef"}
            operators:
              - name: sim
                default: true
                binds: [{host: 127.0.0.1, port: %d, system-id: gw, password: pw, count: 1, window: 10}]
            simulator:
              enabled: true
              listen: "127.0.0.1:%d"
              system-id: gw
              password: pw
              receipt-delay: 50ms
              outcomes:
                - {to-suffix: "0000", stat: UNDELIV}
                - {to-suffix: "0001", submit-status: 0x0B}
                - {to-suffix: "0016", mo-reply: "Merci, bien recu"}
                - {to-suffix: "0017", mo-reply: "STOP"}
            """;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Path data = Files.createTempDirectory("compat");
        int http = Ports.free();
        int smsc = Ports.free();
        GatewayConfig cfg = GatewayConfig.parse("compat", CONFIG.formatted(data, http, smsc, smsc), data);
        Http api = new Http(http).withKey("acme-key-0123456789");
        List<String> ids = new ArrayList<>();
        try (Gateway gw = Gateway.start(cfg, Clock.systemUTC())) {
            Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
            api.send("PUT", "/v1/campaigns/soldes", "{\"track_links\":true}");
            ids.add(post(api, "{\"to\":\"+33612340010\",\"from\":\"ACME\",\"text\":\"Votre code 1234\",\"client_ref\":\"otp-1\"}"));
            ids.add(post(api, "{\"to\":\"+33612340000\",\"from\":\"ACME\",\"text\":\"undelivered\"}"));
            ids.add(post(api, "{\"to\":\"+33612340001\",\"from\":\"ACME\",\"text\":\"refused by the SMSC\"}"));
            ids.add(post(api, "{\"to\":\"+33612340011\",\"from\":\"ACME\",\"text\":\"" + "deux parties ".repeat(14) + "\"}"));
            ids.add(post(api, "{\"to\":\"+33612340012\",\"from\":\"36111\",\"text\":\"Soldes {promo} https://shop.example.com/s\","
                    + "\"class\":\"promotional\",\"campaign\":\"soldes\"}"));
            ids.add(post(api, "{\"to\":\"+33612340016\",\"from\":\"36111\",\"text\":\"Repondez-nous\"}"));
            ids.add(post(api, "{\"to\":\"+33612340017\",\"from\":\"36111\",\"text\":\"Promo\",\"class\":\"promotional\"}"));
            ids.add(post(api, "{\"to\":\"+33612340013\",\"from\":\"ACME\",\"text\":\"later\",\"send_at\":\""
                    + java.time.Instant.now().plus(Duration.ofDays(20)) + "\"}"));
            api.post("/v1/optouts", "{\"number\":\"+33612340099\"}");
            Await.until(Duration.ofSeconds(30), () -> ids.stream().limit(7).allMatch(id -> {
                String state = api.get("/v1/messages/" + id).body().get("state").asText();
                return !state.equals("ACCEPTED") && !state.equals("SUBMITTED");
            }), () -> "not settled");
            JsonNode promo = api.get("/v1/messages/" + ids.get(4)).body();
            String text = promo.get("text").asText();
            String code = text.substring("Soldes ".length(), "Soldes ".length() + 8);
            api.post("/v1/redemptions", "{\"code\":\"" + code + "\"}");
            String token = text.substring(text.indexOf("/r/") + 3, text.indexOf("/r/") + 13);
            new Http(http).getText("/r/" + token); // the java client: counted as a person's click by this version
            Await.until(Duration.ofSeconds(10), () -> gw.store().optOuts(smppgw.store.MessageStore.ALL_LISTS, null, 10).size() > 1
                    && api.get("/v1/messages/" + ids.get(5)).body().get("state").asText().equals("READ"), () -> "no replies yet");
            ((smppgw.store.chronicle.ChronicleMessageStore) gw.store()).barrier().get();
            ObjectNode expected = Http.JSON.createObjectNode();
            ObjectNode messages = expected.putObject("messages");
            for (String id : ids) {
                messages.set(id, api.get("/v1/messages/" + id).body());
            }
            expected.set("optouts", api.get("/v1/optouts").body());
            expected.set("campaign", api.get("/v1/campaigns/soldes").body());
            expected.set("report", api.get("/v1/campaigns/soldes/report").body());
            Files.createDirectories(out);
            Files.writeString(out.resolve("expected.json"), Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
        }
        for (String part : List.of("journal", "queues", "notify")) {
            copy(data.resolve(part), out.resolve(part));
        }
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                cut(f);
            }
        }
        try (Stream<Path> s = Files.walk(data)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.out.println("wrote " + out);
    }

    private static String post(Http api, String body) {
        Http.Response r = api.post("/v1/messages", body);
        if (r.status() != 202) {
            throw new IllegalStateException(r.status() + " " + r.body());
        }
        return r.body().get("id").asText();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** Cuts a queue file to the 4 KiB page after its last record (Chronicle grows it again when opened). */
    private static void cut(Path file) throws IOException {
        long end = 0;
        try (ChronicleQueue q = SingleChronicleQueueBuilder.binary(file.getParent()).readOnly(true).build();
             ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    File f = t.currentFile();
                    if (f != null && f.toPath().getFileName().equals(file.getFileName())) {
                        end = Math.max(end, dc.wire().bytes().readLimit());
                    }
                }
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate((end + 4095) / 4096 * 4096 + 4096);
        }
    }
}
