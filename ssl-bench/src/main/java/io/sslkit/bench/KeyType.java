package io.sslkit.bench;

import io.sslkit.netty.certs.HeldCertificate;
import java.util.EnumMap;
import java.util.Map;

/**
 * The server key of a benchmark: ECDSA P-256 or RSA-2048. Each is a leaf certificate for {@code localhost} and
 * {@code 127.0.0.1}, signed by a CA of the same algorithm that clients trust — so a client verifies one signature,
 * as with a real server (a self-signed leaf that is itself the trust anchor would skip that check in the JDK's PKIX
 * validation, and Erlang/OTP refuses it as {@code selfsigned_peer}).
 */
public enum KeyType {
    EC_P256,
    RSA_2048;

    /** A CA and the leaf it signed. */
    public record Pair(HeldCertificate ca, HeldCertificate leaf) {
    }

    private static final Map<KeyType, Pair> PAIRS = new EnumMap<>(KeyType.class);

    /** This key type's CA and server certificate, made once per JVM (RSA key generation takes a moment). */
    public synchronized Pair pair() {
        return PAIRS.computeIfAbsent(this, k -> {
            HeldCertificate ca = algorithm(HeldCertificate.builder().commonName("sslkit bench CA")
                    .certificateAuthority(0)).build();
            HeldCertificate leaf = algorithm(HeldCertificate.builder().commonName("localhost")
                    .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1")
                    .signedBy(ca)).build();
            return new Pair(ca, leaf);
        });
    }

    private HeldCertificate.Builder algorithm(HeldCertificate.Builder b) {
        return this == EC_P256 ? b.ecdsa256() : b.rsa2048();
    }
}
