package io.sslkit.examples;

import io.sslkit.netty.certs.HeldCertificate;

/** The certificate a server uses when it is given none: self-signed, for {@code localhost} and 127.0.0.1. */
final class SelfSigned {

    private static HeldCertificate localhost;

    private SelfSigned() {
    }

    /** Made once per JVM (ECDSA P-256, valid 24 hours, as {@link HeldCertificate} defaults). */
    static synchronized HeldCertificate localhost() {
        if (localhost == null) {
            localhost = HeldCertificate.builder().ecdsa256().commonName("localhost")
                    .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        }
        return localhost;
    }
}
