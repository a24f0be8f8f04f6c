package io.sslkit.bench;

import io.sslkit.netty.certs.HeldCertificate;
import java.util.EnumMap;
import java.util.Map;

/** The server key of a benchmark: ECDSA P-256 or RSA-2048, each a self-signed certificate for {@code localhost}. */
public enum KeyType {
    EC_P256,
    RSA_2048;

    private static final Map<KeyType, HeldCertificate> CERTS = new EnumMap<>(KeyType.class);

    /** This key's certificate, made once per JVM (RSA key generation takes a moment). */
    public synchronized HeldCertificate certificate() {
        return CERTS.computeIfAbsent(this, k -> {
            HeldCertificate.Builder b = HeldCertificate.builder()
                    .addSubjectAlternativeName("localhost")
                    .addSubjectAlternativeName("127.0.0.1");
            return (k == EC_P256 ? b.ecdsa256() : b.rsa2048()).build();
        });
    }
}
