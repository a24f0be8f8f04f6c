package io.sslkit.netty.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Alert;
import io.sslkit.CipherSuite;
import io.sslkit.Format;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Reason.TlsAlert.Origin;
import io.sslkit.Reason.TlsAlert.Role;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.TestPki;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** ALPN, ciphers, honor_cipher_order and dh over loopback (scenario 55; ERLANG-SSL.md §2.2–2.4). */
class NegotiationOptionsTest extends io.sslkit.netty.testing.RuntimeTest {

    private static final TestPki PKI = TestPki.ec();




    // ---- ALPN ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theServersOrderPicksTheProtocolBothSidesReport(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(v).alpnPreferredProtocols("h2", "http/1.1").build();
        SslOptions client = PKI.clientOptions(p).versions(v).alpnAdvertisedProtocols("http/1.1", "h2").build();
        try (var pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.client().connectionInfo().negotiatedProtocol()).contains("h2");
            assertThat(pair.server().connectionInfo().negotiatedProtocol()).contains("h2");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aServerWithoutAlpnNegotiatesNoProtocol(Provider p, Protocol v) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(v).alpnAdvertisedProtocols("h2").build();
        try (var pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), client)) {
            assertThat(pair.client().connectionInfo().negotiatedProtocol()).isEmpty();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> serverAndClientEngines() {
        return engines().flatMap(a -> java.util.stream.Stream.of(Provider.OPENSSL, Provider.JDK)
                .map(server -> org.junit.jupiter.params.provider.Arguments.of(server, a.get()[0], a.get()[1])));
    }

    /**
     * No common protocol: a fatal no_application_protocol on both sides (RFC 7301, OTP). The JDK server sends it
     * itself; for a BoringSSL server (whose tcnative selector can only decline) {@code AlpnGuard} sends it in answer
     * to the ClientHello.
     */
    @ParameterizedTest(name = "server {0}, client {1} {2}")
    @MethodSource("serverAndClientEngines")
    void noCommonProtocolIsNoApplicationProtocolOnBothSides(Provider serverEngine, Provider clientEngine, Protocol v)
            throws Exception {
        SslOptions server = PKI.serverOptions(serverEngine).versions(v).alpnPreferredProtocols("h2").build();
        SslOptions client = PKI.clientOptions(clientEngine).versions(v).alpnAdvertisedProtocols("spdy/3").build();
        Reason[] sides = handshakeBoth(server, client);
        assertThat(sides[0]).isEqualTo(new Reason.TlsAlert(Alert.NO_APPLICATION_PROTOCOL, Origin.PEER, Role.CLIENT,
                ""));
        assertThat(sides[1]).isInstanceOfSatisfying(Reason.TlsAlert.class, a -> {
            assertThat(a.alert()).isEqualTo(Alert.NO_APPLICATION_PROTOCOL);
            assertThat(a.origin()).isEqualTo(Origin.LOCAL);
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Protocol.class)
    void aBoringSslServerStillServesAClientThatOffersNoAlpn(Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(Provider.OPENSSL).versions(v).alpnPreferredProtocols("h2").build();
        try (var pair = Loopback.connect(ssl, server, PKI.clientOptions(Provider.OPENSSL).versions(v).build())) {
            assertThat(pair.client().connectionInfo().negotiatedProtocol()).isEmpty();
            pair.client().send("x");
            assertThat(pair.server().recv(1, Timeout.millis(10_000))).hasSize(1);
        }
    }

    /** Runs both handshakes; returns {client reason, server reason} (null where it succeeded). */
    private static Reason[] handshakeBoth(SslOptions server, SslOptions client) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<Reason> srv = Async.supply(() -> {
                try (SslSocket s = listen.transportAccept(Timeout.millis(10_000))) {
                    s.handshake(Timeout.millis(10_000));
                    return null;
                } catch (SslException e) {
                    return e.reason();
                }
            });
            Reason cli = null;
            try (SslSocket c = ssl.connect("localhost", listen.port(), client, Timeout.millis(10_000))) {
                c.recv(0, Timeout.millis(10_000));
            } catch (SslException e) {
                cli = e.reason();
            }
            return new Reason[] {cli, srv.get(20, TimeUnit.SECONDS)};
        }
    }

    // ---- ciphers ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aChosenTls12SuiteIsNegotiatedWhateverFormItIsGivenIn(Provider p) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(Protocol.TLS_V1_2).build();
        for (SslOptions client : List.of(
                PKI.clientOptions(p).ciphers("ECDHE-ECDSA-AES256-GCM-SHA384").build(),
                PKI.clientOptions(p).ciphers("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384").build(),
                PKI.clientOptions(p).ciphers("{ecdhe_ecdsa,aes_256_gcm,aead,sha384}").build(),
                PKI.clientOptions(p).ciphers(CipherSuite.erlang("ecdhe_ecdsa", "aes_256_gcm", "aead", "sha384")
                        .orElseThrow()).build())) {
            try (var pair = Loopback.connect(ssl, server, client)) {
                assertThat(pair.client().connectionInfo().cipherSuite())
                        .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
                assertThat(pair.server().connectionInfo().cipherSuite())
                        .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            }
        }
    }

    /** BoringSSL always enables all three TLS 1.3 suites and ignores a choice; the JDK honours it. */
    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aTls13ChoiceIsHonouredByTheJdkOnly(Provider p) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(Protocol.TLS_V1_3).ciphers("TLS_AES_256_GCM_SHA384")
                .build();
        try (var pair = Loopback.connect(ssl, PKI.serverOptions(p).build(), client)) {
            String suite = pair.client().connectionInfo().cipherSuite();
            if (p == Provider.JDK) {
                assertThat(suite).isEqualTo("TLS_AES_256_GCM_SHA384");
            } else {
                assertThat(suite).isIn("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void honorCipherOrderMakesTheServersOrderWin(Provider p) throws Exception {
        SslOptions client = PKI.clientOptions(p)
                .ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384").build();
        for (boolean honor : new boolean[] {false, true}) {
            SslOptions server = PKI.serverOptions(p).versions(Protocol.TLS_V1_2).honorCipherOrder(honor)
                    .ciphers("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256").build();
            try (var pair = Loopback.connect(ssl, server, client)) {
                assertThat(pair.server().connectionInfo().cipherSuite()).as("honor_cipher_order " + honor)
                        .isEqualTo(honor ? "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
                                : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            }
        }
    }

    @Test
    void suitesTheEngineLacksAreAnOptionsError() {
        SslOptions dheOnly = PKI.clientOptions(Provider.OPENSSL).ciphers("DHE-RSA-AES128-GCM-SHA256").build();
        try {
            ssl.connect("localhost", 1, dheOnly);
            throw new AssertionError("connect succeeded");
        } catch (SslException e) {
            assertThat(e.reason()).isEqualTo(new Reason.Options("ciphers", "DHE-RSA-AES128-GCM-SHA256",
                    "no_supported_ciphers"));
            assertThat(Ssl.formatError(e.reason()))
                    .isEqualTo("Invalid TLS option: {no_supported_ciphers,{ciphers,\"DHE-RSA-AES128-GCM-SHA256\"}}");
        }
    }

    @Test
    void cipherSuitesListsWhatEachEngineCanDoInEachFormat() throws Exception {
        List<CipherSuite> boring = CipherSuites.supported(Provider.OPENSSL);
        assertThat(boring).noneMatch(s -> s.keyExchange().startsWith("dhe"));
        assertThat(CipherSuites.list(Provider.OPENSSL, Format.OPENSSL)).contains("ECDHE-ECDSA-AES128-GCM-SHA256",
                "TLS_AES_128_GCM_SHA256");
        assertThat(CipherSuites.list(Provider.JDK, Format.IANA)).contains("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384");
        assertThat(CipherSuites.list(Provider.JDK, Format.ERLANG)).contains(
                "#{cipher => aes_128_gcm,key_exchange => ecdhe_ecdsa,mac => aead,prf => sha256}");
    }

    // ---- dh ----------------------------------------------------------------------------------------------------

    @Test
    void dhParametersAreRefusedClearlyByBothEngines() {
        for (Provider p : List.of(Provider.OPENSSL, Provider.JDK)) {
            SslOptions dhfile = PKI.serverOptions(p).dhfile(PKI.file("dh.pem")).build();
            try {
                ssl.listen(0, dhfile).close();
                throw new AssertionError("listen succeeded");
            } catch (SslException e) {
                assertThat(e.reason()).isEqualTo(new Reason.Options("dhfile", PKI.file("dh.pem").toString(),
                        "dh_not_supported"));
                assertThat(Ssl.formatError(e.reason())).startsWith("Invalid TLS option: {dh_not_supported,{dhfile,");
            }
        }
    }
}
