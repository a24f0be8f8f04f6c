package io.sslkit.netty.trust;

import io.sslkit.netty.certs.HeldCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Test chains root → int0 → int1 → peer, made once per JVM; broken variants are made on demand by changing how one
 * certificate is built.
 */
final class Chains {

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    final HeldCertificate root;
    final HeldCertificate int0;
    final HeldCertificate int1;
    final HeldCertificate peer;

    private static Chains good;

    Chains(HeldCertificate root, HeldCertificate int0, HeldCertificate int1, HeldCertificate peer) {
        this.root = root;
        this.int0 = int0;
        this.int1 = int1;
        this.peer = peer;
    }

    /** The well-formed chain; the peer names localhost, 127.0.0.1 and server.sslkit.test. */
    static synchronized Chains good() {
        if (good == null) {
            HeldCertificate root = HeldCertificate.builder().commonName("root").certificateAuthority(2).build();
            HeldCertificate int0 = HeldCertificate.builder().commonName("int0").certificateAuthority(1)
                    .signedBy(root).build();
            HeldCertificate int1 = HeldCertificate.builder().commonName("int1").certificateAuthority(0)
                    .signedBy(int0).build();
            good = new Chains(root, int0, int1, peerBuilder().signedBy(int1).build());
        }
        return good;
    }

    static HeldCertificate.Builder peerBuilder() {
        return HeldCertificate.builder().commonName("peer").addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("server.sslkit.test");
    }

    /** The same chain with a different peer certificate (still signed by int1 unless the change says otherwise). */
    Chains withPeer(UnaryOperator<HeldCertificate.Builder> change) {
        return new Chains(root, int0, int1, change.apply(peerBuilder().signedBy(int1)).build());
    }

    /** The same CAs with a self-signed peer certificate. */
    Chains withSelfSignedPeer() {
        return new Chains(root, int0, int1, peerBuilder().build());
    }

    /** A chain with int1 (and so the peer) made anew with a change. */
    Chains withInt1(UnaryOperator<HeldCertificate.Builder> change) {
        HeldCertificate i1 = change.apply(HeldCertificate.builder().commonName("int1").certificateAuthority(0)
                .signedBy(int0)).build();
        return new Chains(root, int0, i1, peerBuilder().signedBy(i1).build());
    }

    /**
     * What the peer sends: its certificate, then int1 and int0 (not the root) — or just its own certificate when
     * int1 did not issue it (engines refuse to send a chain that does not chain).
     */
    List<X509Certificate> sent() {
        if (!peer.certificate().getIssuerX500Principal().equals(int1.certificate().getSubjectX500Principal())) {
            return List.of(peer.certificate());
        }
        return List.of(peer.certificate(), int1.certificate(), int0.certificate());
    }

    X509Certificate[] sentArray() {
        return sent().toArray(new X509Certificate[0]);
    }

    static Instant daysAgo(int days) {
        return Instant.now().minus(Duration.ofDays(days));
    }
}
