package smppgw.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for a listener ({@code http.tls}, {@code smpp-server.tls}: {@code cert} and {@code key}) or for binds to an SMSC
 * ({@code operators[].binds[].tls}: {@code ca} to verify the SMSC against, else the JVM's trusted CAs; {@code cert} and
 * {@code key} for carriers that require a client certificate). PEM files; the key must be PKCS#8 ("BEGIN PRIVATE KEY").
 * Relative paths are taken from the configuration file's directory. The files are read again on every reload.
 */
public record TlsConfig(Path ca, Path cert, Path key) {

    /** A listener's TLS ({@code cert} and {@code key} required), or null when the section is absent. */
    static TlsConfig readServer(Node parent) {
        if (!parent.has("tls")) {
            parent.child("tls");
            return null;
        }
        Node n = parent.child("tls");
        TlsConfig t = new TlsConfig(null, file(n, "cert", true, "CERTIFICATE"), file(n, "key", true, "PRIVATE KEY"));
        n.rejectUnknownKeys();
        return t;
    }

    /** A bind's TLS ({@code ca}, {@code cert} and {@code key} all optional; cert and key together), or null when absent. */
    static TlsConfig readClient(Node parent) {
        if (!parent.has("tls")) {
            parent.child("tls");
            return null;
        }
        Node n = parent.child("tls");
        TlsConfig t = new TlsConfig(file(n, "ca", false, "CERTIFICATE"), file(n, "cert", false, "CERTIFICATE"),
                file(n, "key", false, "PRIVATE KEY"));
        if ((t.cert == null) != (t.key == null)) {
            n.problem(t.cert == null ? "cert" : "key", "(missing)", "cert and key together (a client certificate and its key)");
        }
        n.rejectUnknownKeys();
        return t;
    }

    /** A PEM file that exists, is readable and holds a block of {@code kind}; PKCS#1/SEC1 and encrypted keys are named. */
    private static Path file(Node n, String key, boolean required, String kind) {
        String s = required ? n.requiredString(key) : n.string(key, null);
        if (s == null) {
            return null;
        }
        Path p = Path.of(s);
        if (!p.isAbsolute()) {
            Path dir = Path.of(n.file()).toAbsolutePath().getParent();
            p = dir == null ? p.toAbsolutePath() : dir.resolve(p);
        }
        String pem;
        try {
            pem = Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            n.problem(key, p, "a readable PEM file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return p;
        }
        if (kind.equals("PRIVATE KEY")) {
            if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
                n.problem(key, p, "a PKCS#8 key (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in "
                        + p.getFileName() + " -out " + p.getFileName() + ".pk8");
            } else if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
                n.problem(key, p, "an unencrypted PKCS#8 key (the file is encrypted; protect it with file permissions: 0640, group smppgw)");
            } else if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                n.problem(key, p, "a PEM private key (-----BEGIN PRIVATE KEY-----)");
            }
        } else if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            n.problem(key, p, "PEM certificates (-----BEGIN CERTIFICATE-----)");
        }
        return p;
    }
}
