package io.sslkit.netty.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Alert;
import io.sslkit.BadCertReason;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Reason.TlsAlert.Origin;
import io.sslkit.Reason.TlsAlert.Role;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.netty.certs.HeldCertificate;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alert both sides report when the default verify_peer fun refuses a chain, for each engine, TLS version and
 * side (ERLANG-SSL.md §4, scenarios 48–53). BoringSSL sends OTP's alert; the JDK what it can (the table below,
 * written out here independently of {@code EngineAlerts}).
 */
class VerifyFunAlertTest {

    private static Ssl ssl;
    private static final Chains GOOD = Chains.good();
    private static final HeldCertificate STRANGER = HeldCertificate.builder().commonName("stranger")
            .certificateAuthority(0).build();

    @BeforeAll
    static void start() {
        ssl = Ssl.start();
    }

    @AfterAll
    static void stop() {
        ssl.stop();
    }

    /** A broken chain, the reason the validator gives, and how the client is set up to meet it. */
    record Case(String name, Chains chains, BadCertReason reason, Function<SslOptions.Builder, SslOptions.Builder>
            client) {
        Case(String name, Chains chains, BadCertReason reason) {
            this(name, chains, reason, b -> b);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> serverCases() {
        return List.of(
                new Case("expired", GOOD.withPeer(b -> b.validity(Chains.daysAgo(10), Chains.daysAgo(5))),
                        BadCertReason.CERT_EXPIRED),
                new Case("wrong signature", GOOD.withPeer(b -> b.signatureKey(STRANGER.privateKey())),
                        BadCertReason.INVALID_SIGNATURE),
                new Case("unknown ca", GOOD.withPeer(b -> b.signedBy(STRANGER)), BadCertReason.UNKNOWN_CA),
                new Case("self-signed", GOOD.withSelfSignedPeer(), BadCertReason.SELFSIGNED_PEER),
                new Case("impostor issuer", new Chains(GOOD.root, GOOD.int0, HeldCertificate.builder()
                        .commonName("int1").certificateAuthority(0).signedBy(GOOD.int0).build(), GOOD.peer),
                        BadCertReason.INVALID_SIGNATURE), // OTP compares issuer names only
                new Case("name constraints", constrained(), BadCertReason.NAME_NOT_PERMITTED),
                new Case("critical extension", GOOD.withPeer(b -> b.addExtension("1.2.3.4.5", true,
                        new byte[] {5, 0})), BadCertReason.UNKNOWN_CRITICAL_EXTENSION),
                new Case("no basicConstraints", GOOD.withInt1(HeldCertificate.Builder::withoutBasicConstraints),
                        BadCertReason.MISSING_BASIC_CONSTRAINT),
                new Case("CA without keyCertSign", GOOD.withInt1(b -> b.keyUsage(KeyUsage.digitalSignature)),
                        BadCertReason.INVALID_KEY_USAGE),
                new Case("clientAuth only", GOOD.withPeer(b -> b.extendedKeyUsage(true, Chains.CLIENT_AUTH)),
                        BadCertReason.INVALID_EXT_KEY_USAGE),
                new Case("depth 1", GOOD, BadCertReason.MAX_PATH_LENGTH_REACHED, b -> b.depth(1)),
                new Case("host name", GOOD, BadCertReason.HOSTNAME_CHECK_FAILED,
                        b -> b.serverNameIndication("vm.example")));
    }

    /** int0 may only certify names under example.com; the peer is localhost. */
    private static Chains constrained() {
        HeldCertificate int0 = HeldCertificate.builder().commonName("int0").certificateAuthority(1)
                .nameConstraints(List.of("example.com"), List.of()).signedBy(GOOD.root).build();
        HeldCertificate int1 = HeldCertificate.builder().commonName("int1").certificateAuthority(0).signedBy(int0)
                .build();
        return new Chains(GOOD.root, int0, int1, Chains.peerBuilder().signedBy(int1).build());
    }

    static List<Case> clientCases() {
        return List.of(
                new Case("expired", GOOD.withPeer(b -> b.validity(Chains.daysAgo(10), Chains.daysAgo(5))),
                        BadCertReason.CERT_EXPIRED),
                new Case("wrong signature", GOOD.withPeer(b -> b.signatureKey(STRANGER.privateKey())),
                        BadCertReason.INVALID_SIGNATURE),
                new Case("unknown ca", GOOD.withPeer(b -> b.signedBy(STRANGER)), BadCertReason.UNKNOWN_CA),
                new Case("critical extension", GOOD.withPeer(b -> b.addExtension("1.2.3.4.5", true,
                        new byte[] {5, 0})), BadCertReason.UNKNOWN_CRITICAL_EXTENSION),
                new Case("serverAuth only", GOOD.withPeer(b -> b.extendedKeyUsage(true, Chains.SERVER_AUTH)),
                        BadCertReason.INVALID_EXT_KEY_USAGE));
    }

    static Stream<Arguments> serverMatrix() {
        return matrix(serverCases());
    }

    static Stream<Arguments> clientMatrix() {
        return matrix(clientCases());
    }

    private static Stream<Arguments> matrix(List<Case> cases) {
        return Stream.of(Provider.OPENSSL, Provider.JDK).flatMap(p -> Stream.of(Protocol.TLS_V1_2, Protocol.TLS_V1_3)
                .flatMap(v -> cases.stream().map(c -> Arguments.of(p, v, c))));
    }

    /**
     * What each engine sends for OTP's alert. BoringSSL: exactly it. JDK: a TLS 1.2 client sends
     * certificate_expired, bad_certificate, unsupported_certificate and certificate_revoked, and certificate_unknown
     * for the rest (so does a JDK 25 client on TLS 1.3); a JDK 17 client on TLS 1.3 and a server always send
     * certificate_unknown.
     */
    static Alert sent(Provider p, Protocol v, boolean validatorIsClient, Alert otp) {
        if (p == Provider.OPENSSL) {
            return otp;
        }
        boolean mapsCause = v == Protocol.TLS_V1_2 || Runtime.version().feature() > 17; // JDK 25 on 1.3 too
        if (validatorIsClient && mapsCause && List.of(Alert.CERTIFICATE_EXPIRED, Alert.BAD_CERTIFICATE,
                Alert.UNSUPPORTED_CERTIFICATE, Alert.CERTIFICATE_REVOKED).contains(otp)) {
            return otp;
        }
        return Alert.CERTIFICATE_UNKNOWN;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("serverMatrix")
    void aClientRefusesABadServerChainAndBothSidesReportTheAlert(Provider p, Protocol v, Case c) throws Exception {
        SslOptions server = SslOptions.builder().provider(p).versions(v).cert(c.chains().sent())
                .key(c.chains().peer.privateKey()).build();
        SslOptions client = c.client().apply(SslOptions.builder().provider(p).versions(v)
                .cacerts(GOOD.root.certificate())).build();
        AlertProbe.Outcome o = AlertProbe.run(ssl, server, client);
        Alert alert = sent(p, v, true, c.reason().alert());
        assertAlert(o.client(), alert, Origin.LOCAL, Role.CLIENT, c.reason());
        assertAlert(o.server(), alert, Origin.PEER, Role.SERVER, null);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("clientMatrix")
    void aServerRefusesABadClientChainAndBothSidesReportTheAlert(Provider p, Protocol v, Case c) throws Exception {
        SslOptions server = SslOptions.builder().provider(p).versions(v).cert(GOOD.sent())
                .key(GOOD.peer.privateKey()).verify(Verify.VERIFY_PEER).cacerts(GOOD.root.certificate()).build();
        SslOptions client = SslOptions.builder().provider(p).versions(v).cacerts(GOOD.root.certificate())
                .cert(c.chains().sent()).key(c.chains().peer.privateKey()).build();
        AlertProbe.Outcome o = AlertProbe.run(ssl, server, client);
        Alert alert = sent(p, v, false, c.reason().alert());
        assertAlert(o.server(), alert, Origin.LOCAL, Role.SERVER, c.reason());
        assertAlert(o.client(), alert, Origin.PEER, Role.CLIENT, null);
    }

    private static void assertAlert(Reason r, Alert alert, Origin origin, Role role, BadCertReason reason) {
        assertThat(r).as("reason").isInstanceOf(Reason.TlsAlert.class);
        Reason.TlsAlert a = (Reason.TlsAlert) r;
        assertThat(a.alert()).as(a.toString()).isEqualTo(alert);
        assertThat(a.origin()).isEqualTo(origin);
        assertThat(a.role()).isEqualTo(role);
        if (reason != null) {
            // the validating side says why, as OTP's "... Handshake Failure\n {bad_cert,hostname_check_failed}"
            assertThat(a.detail()).isEqualTo("{bad_cert," + reason.erlangName() + "}");
            assertThat(Ssl.formatError(a)).contains("{bad_cert," + reason.erlangName() + "}");
        }
    }
}
