package io.sslkit.netty.testing;

import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.netty.certs.HeldCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small PKI for tests: a root CA, a server certificate for {@code localhost}/{@code 127.0.0.1} and a client
 * certificate, all signed by the root, plus PEM files of each in a directory. Made once per JVM (key generation is
 * slow) and shared by tests, which never modify it.
 */
public final class TestPki {

    private static TestPki ec;
    private static TestPki rsa;

    public final HeldCertificate root;
    public final HeldCertificate server;
    public final HeldCertificate client;
    public final Path dir;

    private TestPki(boolean useRsa) {
        root = keyType(HeldCertificate.builder(), useRsa).commonName("sslkit test root").certificateAuthority(1)
                .build();
        server = keyType(HeldCertificate.builder(), useRsa).commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("server.sslkit.test")
                .signedBy(root).build();
        client = keyType(HeldCertificate.builder(), useRsa).commonName("sslkit test client").signedBy(root)
                .build();
        try {
            dir = Files.createTempDirectory("sslkit-pki");
            dir.toFile().deleteOnExit();
            write("ca.pem", root.certificatePem());
            write("server.pem", server.certificatePem());
            write("server.key", server.privateKeyPkcs8Pem());
            write("client.pem", client.certificatePem());
            write("client.key", client.privateKeyPkcs8Pem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HeldCertificate.Builder keyType(HeldCertificate.Builder b, boolean useRsa) {
        return useRsa ? b.rsa2048() : b.ecdsa256();
    }

    /** The shared ECDSA P-256 PKI. */
    public static synchronized TestPki ec() {
        if (ec == null) {
            ec = new TestPki(false);
        }
        return ec;
    }

    /** The shared RSA-2048 PKI. */
    public static synchronized TestPki rsa() {
        if (rsa == null) {
            rsa = new TestPki(true);
        }
        return rsa;
    }

    /** Writes a file in this PKI's directory and returns its path. */
    public Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        p.toFile().deleteOnExit();
        return p;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Server options: the server certificate and key from PEM files. */
    public SslOptions.Builder serverOptions(Provider provider) {
        return SslOptions.builder().provider(provider).certfile(file("server.pem")).keyfile(file("server.key"));
    }

    /** Client options: trusts the root (verify_peer, the default), from a PEM file. */
    public SslOptions.Builder clientOptions(Provider provider) {
        return SslOptions.builder().provider(provider).cacertfile(file("ca.pem"));
    }
}
