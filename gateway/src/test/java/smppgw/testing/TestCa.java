package smppgw.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A certificate authority made in a test (EC P-256, BouncyCastle), issuing server and client certificates with DNS or
 * IP subject alternative names, written as the PEM files an operator would configure (key in PKCS#8).
 */
public final class TestCa {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate issued by this CA and its key. */
    public record Issued(X509Certificate cert, PrivateKey key, X509Certificate ca) {
        /** Writes {@code name.crt} and {@code name.key} (PKCS#8) into {@code dir}; returns the certificate's path. */
        public Path write(Path dir, String name) throws IOException {
            Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", encoded(cert)));
            Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", key.getEncoded()));
            return dir.resolve(name + ".crt");
        }

        /** A server-side SSLContext presenting this certificate (for a TLS peer written with the JDK). */
        public SSLContext serverContext() throws Exception {
            return serverContext(null);
        }

        /** The same, also trusting client certificates {@code clients} issued (for a peer that requires them). */
        public SSLContext serverContext(TestCa clients) throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", key, new char[0], new java.security.cert.Certificate[] {cert, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), clients == null ? null : clients.trustManagers(), null);
            return c;
        }
    }

    private final KeyPair keys;
    private final X509Certificate cert;

    public TestCa(String name) throws Exception {
        keys = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.incrementAndGet()),
                new Date(System.currentTimeMillis() - 3_600_000), new Date(System.currentTimeMillis() + 86_400_000L), subject,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        cert = sign(b, keys.getPrivate());
    }

    /** A certificate for {@code cn} with these subject alternative names: IP addresses (digits and dots) or DNS names. */
    public Issued issue(String cn, String... altNames) throws Exception {
        KeyPair k = keyPair();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(cert.getSubjectX500Principal().getName()),
                BigInteger.valueOf(SERIAL.incrementAndGet()), new Date(System.currentTimeMillis() - 3_600_000),
                new Date(System.currentTimeMillis() + 86_400_000L), new X500Name("CN=" + cn), k.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String n : altNames) {
            names.add(new GeneralName(n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new Issued(sign(b, keys.getPrivate()), k.getPrivate(), cert);
    }

    /** Writes the CA's certificate as PEM to {@code file}. */
    public Path writeCert(Path file) throws IOException {
        Files.writeString(file, pem("CERTIFICATE", encoded(cert)));
        return file;
    }

    /** A client-side SSLContext trusting only this CA. */
    public SSLContext trustingContext() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, trustManagers(), null);
        return c;
    }

    private javax.net.ssl.TrustManager[] trustManagers() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
