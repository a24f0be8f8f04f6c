package io.sslkit.bench.tools;

import io.sslkit.bench.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmark certificates as PEM for the Erlang/OTP baseline: {@code ec.pem}/{@code ec.key}/
 * {@code ec-ca.pem} (ECDSA P-256) and {@code rsa.pem}/{@code rsa.key}/{@code rsa-ca.pem} (RSA-2048) — the same
 * shapes (a CA of the key's algorithm signing a leaf for localhost) as the JMH benchmarks use.
 *
 * <pre>java -cp benchmarks.jar io.sslkit.bench.tools.WriteCerts DIR</pre>
 */
public final class WriteCerts {

    private WriteCerts() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "certs");
        Files.createDirectories(dir);
        for (KeyType k : KeyType.values()) {
            String name = k == KeyType.EC_P256 ? "ec" : "rsa";
            KeyType.Pair p = k.pair();
            Files.writeString(dir.resolve(name + ".pem"), p.leaf().certificatePem());
            Files.writeString(dir.resolve(name + ".key"), p.leaf().privateKeyPkcs8Pem());
            Files.writeString(dir.resolve(name + "-ca.pem"), p.ca().certificatePem());
        }
        System.out.println("certificates written to " + dir);
    }
}
