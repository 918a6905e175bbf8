package smppgw.it;

import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SMSCDeliveryReceipt;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import smppgw.config.GatewayConfig;
import smppgw.daemon.Gateway;
import smppgw.model.MessageState;
import smppgw.sim.SmscSimulator;
import smppgw.smpp.BindSession;
import smppgw.testing.Await;
import smppgw.testing.Closer;
import smppgw.testing.Configs;
import smppgw.testing.Http;
import smppgw.testing.JsmppSmsc;
import smppgw.testing.Ports;
import smppgw.testing.TestCa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on loopback with a CA made in the test: binds to SMSCs speaking TLS through the JDK (jSMPP), the integrator SMPP
 * port and the HTTP API over TLS only, and certificates read again on reload while binds stay up.
 */
class TlsTest {
    @TempDir
    Path dir;
    /** What a test started, closed last first (the gateway before its SMSCs). */
    private final java.util.Deque<AutoCloseable> open = new java.util.ArrayDeque<>();

    private <T extends AutoCloseable> T open(T part) {
        open.push(part);
        return part;
    }

    @AfterEach
    void stop() throws Exception {
        Closer.close(open.toArray(new AutoCloseable[0]));
    }

    private static String bind(int port, String extra) {
        return "      - {host: 127.0.0.1, port: " + port + ", system-id: gw, password: pw, window: 20, response-timeout: 2s,"
                + " enquire-link-interval: 5s, reconnect-min: 100ms, reconnect-max: 500ms" + extra + "}\n";
    }

    private static int metric(Http http, String endpoint) {
        Matcher m = Pattern.compile("smppgw_tls_handshake_failures_total\\{endpoint=\"" + Pattern.quote(endpoint) + "\"} ([0-9.]+)")
                .matcher(http.getText("/metrics")[1]);
        return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void bindsToASmscOverTlsAndRefusesOnesWhoseCertificateIsNotForItsHostOrNotFromItsCa() throws Exception {
        TestCa ca = new TestCa("carrier CA");
        Path caFile = ca.writeCert(dir.resolve("carrier-ca.pem"));
        int good = Ports.free();
        int wrongHost = Ports.free();
        int otherCa = Ports.free();
        JsmppSmsc smsc = open(new JsmppSmsc(good, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                ca.issue("smsc", "127.0.0.1").serverContext()));
        JsmppSmsc misnamed = open(new JsmppSmsc(wrongHost, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                ca.issue("smsc", "smsc.other.example").serverContext()));
        JsmppSmsc stranger = open(new JsmppSmsc(otherCa, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                new TestCa("someone else").issue("smsc", "127.0.0.1").serverContext()));
        int mutualPort = Ports.free();
        int noCertPort = Ports.free();
        TestCa clients = new TestCa("carrier's client CA");
        TestCa.Issued gatewayCert = clients.issue("smppgw");
        gatewayCert.write(dir, "client");
        JsmppSmsc mutual = open(new JsmppSmsc(mutualPort, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                ca.issue("smsc", "127.0.0.1").serverContext(clients), true));
        JsmppSmsc wantsCert = open(new JsmppSmsc(noCertPort, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                ca.issue("smsc", "127.0.0.1").serverContext(clients), true));
        int httpPort = Ports.free();
        String tls = ", tls: {ca: " + caFile + "}";
        String withCert = ", tls: {ca: " + caFile + ", cert: " + dir.resolve("client.crt") + ", key: " + dir.resolve("client.key") + "}";
        String yaml = "data-dir: " + dir.resolve("data") + "\nhttp: {listen: 127.0.0.1:" + httpPort + "}\nlog: {state-changes: false}\n"
                + "operators:\n"
                + "  - {name: good, default: true, prefixes: [\"+336\"], binds: [" + bind(good, tls).trim().substring(2) + "]}\n"
                + "  - {name: misnamed, prefixes: [\"+337\"], binds: [" + bind(wrongHost, tls).trim().substring(2) + "]}\n"
                + "  - {name: stranger, prefixes: [\"+338\"], binds: [" + bind(otherCa, tls).trim().substring(2) + "]}\n"
                + "  - {name: mutual, prefixes: [\"+339\"], binds: [" + bind(mutualPort, withCert).trim().substring(2) + "]}\n"
                + "  - {name: nocert, prefixes: [\"+331\"], binds: [" + bind(noCertPort, tls).trim().substring(2) + "]}\n";
        Gateway gw = open(Gateway.start(GatewayConfig.parse("tls-test", yaml, dir.resolve("data")), Clock.systemUTC()));
        Http http = new Http(httpPort);
        BindSession goodBind = gw.pool().binds("good").sessions().get(0);
        Await.until(Duration.ofSeconds(10), goodBind::isBound, () -> "the bind to the TLS SMSC with the right certificate is not up");
        // mutual TLS: the SMSC that requires a client certificate binds with the configured one, and only with it
        Await.until(Duration.ofSeconds(10), () -> gw.pool().binds("mutual").sessions().get(0).isBound(),
                () -> "the bind presenting a client certificate is not up");
        BindSession noCert = gw.pool().binds("nocert").sessions().get(0);
        Await.until(Duration.ofSeconds(20), () -> noCert.bindFailures() >= 2, () -> "the bind without a certificate never tried");
        assertFalse(noCert.isBound(), "bound without the client certificate the SMSC requires");
        assertTrue(wantsCert.sessions.stream().noneMatch(s -> s.getSessionState().isBound()));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Http.Response r = http.post("/v1/messages", "{\"to\":\"+3361000" + String.format("%04d", i) + "\",\"from\":\"ACME\",\"text\":\"over TLS " + i + "\"}");
            assertEquals(202, r.status(), r.body()::toString);
            ids.add(r.body().get("id").asText());
        }
        Await.until(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> gw.store().find(id).orElseThrow().state() == MessageState.DELIVERED),
                () -> "not all delivered through the TLS SMSC");
        assertEquals(20, smsc.submits.size());

        // Both others fail their handshake, again and again with back-off, counted per operator; their SMSC never sees a bind.
        Await.until(Duration.ofSeconds(10), () -> metric(http, "operators[misnamed]") >= 2 && metric(http, "operators[stranger]") >= 2,
                () -> "handshake failures: misnamed " + metric(http, "operators[misnamed]") + ", stranger " + metric(http, "operators[stranger]"));
        assertFalse(gw.pool().binds("misnamed").sessions().get(0).isBound());
        assertFalse(gw.pool().binds("stranger").sessions().get(0).isBound());
        assertTrue(misnamed.sessions.stream().noneMatch(s -> s.getSessionState().isBound()), "no bind over a certificate for another host");
        assertTrue(stranger.sessions.stream().noneMatch(s -> s.getSessionState().isBound()), "no bind over a certificate from another CA");
        assertEquals(0, metric(http, "operators[good]"));
        assertEquals(1, goodBind.bindCount(), "the good bind never dropped");
        Http.Response sent = http.post("/v1/messages", "{\"to\":\"+33710000001\",\"from\":\"ACME\",\"text\":\"waits\"}");
        assertEquals(202, sent.status(), "accepted while its operator's binds are down: it waits");
        assertTrue(misnamed.submits.isEmpty() && stranger.submits.isEmpty());
    }

    /** A jSMPP integrator session over TLS trusting {@code trust}, the host name (IP) checked. */
    private static SMPPSession integrator(SSLContext trust, int port, Set<String> receipts) throws Exception {
        SMPPSession s = new SMPPSession((host, p) -> {
            SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(host, p);
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            return new org.jsmpp.session.connection.socket.SocketConnection(socket);
        });
        s.setMessageReceiverListener(new org.jsmpp.session.MessageReceiverListener() {
            @Override
            public void onAcceptDeliverSm(DeliverSm d) {
                Matcher m = Pattern.compile("id:(\\S+) .*stat:DELIVRD").matcher(new String(d.getShortMessage(), StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    receipts.add(m.group(1));
                }
            }

            @Override
            public void onAcceptAlertNotification(org.jsmpp.bean.AlertNotification a) {
            }

            @Override
            public org.jsmpp.session.DataSmResult onAcceptDataSm(org.jsmpp.bean.DataSm d, org.jsmpp.session.Session session) {
                return null;
            }
        });
        s.connectAndBind("127.0.0.1", port, new BindParameter(BindType.BIND_TRX, "acme", "pw", "", TypeOfNumber.UNKNOWN,
                NumberingPlanIndicator.UNKNOWN, null));
        return s;
    }

    private static String submit(SMPPSession s, String to) throws Exception {
        return s.submitShortMessage("", TypeOfNumber.ALPHANUMERIC, NumberingPlanIndicator.UNKNOWN, "ACME", TypeOfNumber.INTERNATIONAL,
                NumberingPlanIndicator.ISDN, to, new ESMClass(), (byte) 0, (byte) 1, null, null,
                new RegisteredDelivery(SMSCDeliveryReceipt.SUCCESS_FAILURE), (byte) 0, DataCodings.ZERO, (byte) 0,
                "hello over TLS".getBytes(StandardCharsets.ISO_8859_1)).getMessageId();
    }

    /** The serial number of the certificate a TLS listener presents now (a new connection). */
    private static BigInteger presented(SSLContext trust, int port) throws Exception {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    @Test
    void integratorsAndTheHttpApiSpeakOnlyTlsAndAReloadPicksUpNewCertificatesWithoutDroppingBinds() throws Exception {
        TestCa ca = new TestCa("smppgw CA");
        Path tlsDir = Files.createDirectories(dir.resolve("tls"));
        TestCa.Issued first = ca.issue("smppgw", "127.0.0.1", "localhost");
        first.write(tlsDir, "api");
        first.write(tlsDir, "smpp");
        Path carrierCa = ca.writeCert(tlsDir.resolve("carrier-ca.pem"));
        int smscPort = Ports.free();
        JsmppSmsc smsc = open(new JsmppSmsc(smscPort, (sm, id) -> new JsmppSmsc.Reply(DeliveryReceiptState.DELIVRD, 0),
                ca.issue("smsc", "127.0.0.1").serverContext()));
        int httpPort = Ports.free();
        int smppPort = Ports.free();
        Path file = dir.resolve("gateway.yaml");
        // relative paths: from the configuration file's directory
        Files.writeString(file, "data-dir: " + dir.resolve("data") + "\n"
                + "http: {listen: 127.0.0.1:" + httpPort + ", tls: {cert: tls/api.crt, key: tls/api.key}}\n"
                + "smpp-server: {listen: 127.0.0.1:" + smppPort + ", tls: {cert: tls/smpp.crt, key: tls/smpp.key}}\n"
                + "log: {state-changes: false}\n"
                + "clients:\n  - {name: acme, system-id: acme, password: pw, api-key: acme-key-0123456789}\n"
                + "operators:\n  - name: fr\n    default: true\n    binds:\n" + bind(smscPort, ", tls: {ca: tls/carrier-ca.pem}"));
        Gateway gw = open(Gateway.start(GatewayConfig.load(file), Clock.systemUTC()));
        Await.until(Duration.ofSeconds(10), () -> gw.health().ok(), () -> gw.health().detail().toString());
        SSLContext trust = ca.trustingContext();

        // HTTPS answers; plain HTTP on the same port gets no answer, only a counted failed handshake.
        Http https = Http.https(httpPort, trust).withKey("acme-key-0123456789");
        Http.Response r = https.post("/v1/messages", "{\"to\":\"+33612345678\",\"from\":\"ACME\",\"text\":\"over HTTPS\"}");
        assertEquals(202, r.status(), r.body()::toString);
        assertThrows(IllegalStateException.class, () -> new Http(httpPort).get("/health"), "plain HTTP is off with TLS configured");
        Http metrics = Http.https(httpPort, trust);
        Await.until(Duration.ofSeconds(5), () -> metric(metrics, "http") >= 1, () -> "the plain-text request not counted");

        // An integrator binds over TLS and gets its receipts; a plain bind to the TLS port does not bind.
        Set<String> receipts = ConcurrentHashMap.newKeySet();
        SMPPSession integrator = integrator(trust, smppPort, receipts);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(submit(integrator, "3361200" + String.format("%04d", i)));
        }
        Await.until(Duration.ofSeconds(20), () -> receipts.containsAll(ids), () -> "receipts over TLS: " + receipts.size() + " of 10");
        SMPPSession plain = new SMPPSession();
        assertThrows(java.io.IOException.class, () -> plain.connectAndBind("127.0.0.1", smppPort, new BindParameter(BindType.BIND_TRX,
                "acme", "pw", "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 3000));
        plain.close();
        Await.until(Duration.ofSeconds(5), () -> metric(metrics, "smpp-server") >= 1, () -> "the plain bind not counted");

        // New certificates in the same files, a reload: new connections get them; the binds stay up throughout.
        assertEquals(first.cert().getSerialNumber(), presented(trust, httpPort));
        TestCa.Issued second = ca.issue("smppgw renewed", "127.0.0.1", "localhost");
        second.write(tlsDir, "api");
        second.write(tlsDir, "smpp");
        ca.writeCert(carrierCa);
        Http.Response reload = Http.https(httpPort, trust).withKey(Http.adminToken(dir.resolve("data"))).post("/admin/reload", "{}");
        assertEquals(200, reload.status(), reload.body()::toString);
        assertTrue(reload.body().toString().contains("http.tls") && reload.body().toString().contains("smpp-server.tls"), reload.body()::toString);
        assertEquals(second.cert().getSerialNumber(), presented(trust, httpPort));
        assertEquals(second.cert().getSerialNumber(), presented(trust, smppPort));
        BindSession carrierBind = gw.pool().binds("fr").sessions().get(0);
        assertTrue(carrierBind.isBound());
        assertEquals(1, carrierBind.bindCount(), "the bind to the SMSC was not dropped by the reload");
        assertTrue(integrator.getSessionState().isBound(), "the integrator's TLS session was not dropped by the reload");
        String after = submit(integrator, "33612009999");
        Await.until(Duration.ofSeconds(20), () -> receipts.contains(after), () -> "no receipt after the reload");
        integrator.unbindAndClose();
        assertEquals(11 + 1, smsc.submits.size(), "10 + 1 from the integrator, 1 over HTTPS");
    }

    @Test
    void aKeyInTheWrongFormatOrAMissingFileIsAClearConfigurationError() throws Exception {
        Path key = dir.resolve("old.key");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("api.crt"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        String yaml = "data-dir: " + dir + "\nhttp: {listen: 127.0.0.1:1, tls: {cert: " + dir.resolve("api.crt") + ", key: " + key + "}}\n"
                + "operators: [{name: x, default: true, binds: [{host: 127.0.0.1, system-id: x, tls: {ca: " + dir.resolve("none.pem")
                + ", cert: " + dir.resolve("api.crt") + "}}]}]\n";
        smppgw.config.ConfigException e = assertThrows(smppgw.config.ConfigException.class, () -> GatewayConfig.parse("t.yaml", yaml, dir));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("http.tls.key") && all.contains("openssl pkcs8 -topk8 -nocrypt"), all);
        assertTrue(all.contains("operators[0].binds[0].tls.ca") && all.contains("a readable PEM file"), all);
        assertTrue(all.contains("operators[0].binds[0].tls.key") && all.contains("cert and key together"), all);
    }
}
