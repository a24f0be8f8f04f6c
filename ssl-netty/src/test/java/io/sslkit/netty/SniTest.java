package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.netty.certs.HeldCertificate;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A server picks its certificate by the SNI name: {@code sni_hosts} and {@code sni_fun} (scenario 56). */
class SniTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final HeldCertificate B = HeldCertificate.builder().commonName("b.example")
            .addSubjectAlternativeName("b.example").signedBy(PKI.root).build();

    private static SslOptions bOptions(Provider p, Protocol v) {
        return SslOptions.builder().provider(p).versions(v).cert(B.certificate()).key(B.privateKey()).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void sniHostsChoosesTheCertificateForTheNameAndTheDefaultOtherwise(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(v).sniHosts(Map.of("B.example", bOptions(p, v))).build();
        SslOptions toB = PKI.clientOptions(p).versions(v).serverNameIndication("b.example").build();
        try (Pair pair = Loopback.connect(ssl, server, toB)) {
            assertThat(pair.client().peercert().certificate()).isEqualTo(B.certificate());
            assertThat(pair.server().connectionInfo().sniHostname()).contains("b.example");
            pair.client().send("hi b");
            assertThat(pair.server().recv(4, io.sslkit.Timeout.millis(10_000))).hasSize(4);
        }
        try (Pair pair = Loopback.connect(ssl, server, PKI.clientOptions(p).versions(v).build())) {
            assertThat(pair.client().peercert().certificate()).isEqualTo(PKI.server.certificate());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void sniFunIsAskedWithTheNameOnce(Provider p, Protocol v) throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        SslOptions server = PKI.serverOptions(p).versions(v).sniFun(name -> {
            asked.add(name);
            return name.equals("b.example") ? Optional.of(bOptions(p, v)) : Optional.empty();
        }).build();
        SslOptions toB = PKI.clientOptions(p).versions(v).serverNameIndication("b.example").build();
        for (int i = 0; i < 2; i++) {
            try (Pair pair = Loopback.connect(ssl, server, toB)) {
                assertThat(pair.client().peercert().certificate()).isEqualTo(B.certificate());
            }
        }
        SslOptions toServer = PKI.clientOptions(p).versions(v).serverNameIndication("server.sslkit.test").build();
        try (Pair pair = Loopback.connect(ssl, server, toServer)) {
            assertThat(pair.client().peercert().certificate()).isEqualTo(PKI.server.certificate());
        }
        // each Loopback pair has a listen socket of its own, so the fun is asked once per pair, with the SNI name
        assertThat(asked).containsOnly("b.example", "server.sslkit.test");
    }
}
