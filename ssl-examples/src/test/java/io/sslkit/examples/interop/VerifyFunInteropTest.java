package io.sslkit.examples.interop;

import static io.sslkit.examples.interop.Matrix.PROVIDERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.BadCertReason;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Verify;
import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import io.sslkit.netty.certs.HeldCertificate;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code verify_fun} and path-validation failures against Erlang: the alert the Erlang side receives is OTP's
 * {@code path_validation_alert} with BoringSSL; the JDK engine picks {@code certificate_unknown} where it cannot send
 * that alert (see {@code io.sslkit.netty.trust.VerifyFunTrustManagerFactory}). sslkit runs through the API here: a
 * {@code verify_fun} is code, not a flag.
 */
@ExtendWith(MatrixReport.class)
class VerifyFunInteropTest {

    static final Duration TIMEOUT = Duration.ofSeconds(40);
    static TestPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = TestPki.ec();
        HeldCertificate stranger = HeldCertificate.builder().commonName("sslkit stranger root").certificateAuthority(0)
                .build();
        pki.write("stranger-ca.pem", stranger.certificatePem());
        HeldCertificate expired = HeldCertificate.builder().commonName("sslkit expired client")
                .validity(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)))
                .signedBy(pki.root).build();
        pki.write("expired-client.pem", expired.certificatePem());
        pki.write("expired-client.key", expired.privateKeyPkcs8Pem());
    }

    /** OTP's verify_fun_always_run: counts valid events and fails the peer with a reason of its own. */
    static final VerifyFun<Integer> FAIL_AT_PEER = (cert, event, n) -> {
        if (event instanceof VerifyEvent.BadCert b) {
            return VerifyResult.fail(b.reason());
        }
        if (event instanceof VerifyEvent.Extension) {
            return VerifyResult.unknown(n);
        }
        if (event instanceof VerifyEvent.ValidPeer) {
            return VerifyResult.fail("always_run_" + n);
        }
        return VerifyResult.valid(n + 1);
    };

    /** OTP's unknown_server_ca_accept: accepts an unknown CA, everything else as verify_peer. */
    static final VerifyFun<Object> ACCEPT_UNKNOWN_CA = (cert, event, s) -> {
        if (event instanceof VerifyEvent.BadCert b) {
            return b.reason() == BadCertReason.UNKNOWN_CA ? VerifyResult.valid(s) : VerifyResult.fail(b.reason());
        }
        return event instanceof VerifyEvent.Extension ? VerifyResult.unknown(s) : VerifyResult.valid(s);
    };

    static String ca() {
        return pki.file("ca.pem").toString();
    }

    @TestFactory
    Stream<DynamicTest> sslkitClientValidatesErlangServer() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String p : PROVIDERS) {
            String other = p.equals("openssl") ? "handshake_failure" : "certificate_unknown";
            tests.add(clientCase("verify_fun fails valid_peer with a user reason: " + other, p, "tlsv1.3",
                    b -> b.cacertfile(pki.file("ca.pem")).verifyFun(FAIL_AT_PEER, 0), other));
            String unknown = p.equals("openssl") ? "unknown_ca" : "certificate_unknown";
            tests.add(clientCase("server's CA not trusted (default fun): " + unknown, p, "tlsv1.2",
                    b -> b.cacertfile(pki.file("stranger-ca.pem")), unknown));
            tests.add(clientCase("verify_fun accepts {bad_cert, unknown_ca}: connects", p, "tlsv1.3",
                    b -> b.cacertfile(pki.file("stranger-ca.pem")).verifyFun(ACCEPT_UNKNOWN_CA, null), null));
        }
        return tests.stream();
    }

    private DynamicTest clientCase(String what, String provider, String version,
                                   java.util.function.UnaryOperator<SslOptions.Builder> options, String alert) {
        return Matrix.test("erlang server", "API client", what, version, provider, () -> {
            String erl = Peers.require("escript");
            List<String> cmd = ErlangInteropTest.erlServer(erl, version);
            try (PeerProcess server = PeerProcess.start(cmd); Ssl ssl = Ssl.start()) {
                int port = server.awaitListening(TIMEOUT);
                SslOptions o = options.apply(SslOptions.builder().provider(Provider.valueOf(
                        provider.toUpperCase(java.util.Locale.ROOT))).versionNames(List.of(version)))
                        .build();
                String sslkit;
                try (SslSocket s = ssl.connect("localhost", port, o, Timeout.millis(20_000))) {
                    s.send("hello\n");
                    sslkit = "ok " + new String(s.recv(6, Timeout.millis(20_000)), StandardCharsets.UTF_8)
                            .strip();
                } catch (SslException e) {
                    sslkit = "error " + e.reason();
                }
                int code = server.awaitExit(TIMEOUT);
                String erlLine = String.join(" ", server.out().lines());
                if (alert == null) {
                    assertThat(sslkit).isEqualTo("ok hello");
                    assertThat(code).as(erlLine).isZero();
                    return "sslkit: " + sslkit;
                }
                assertThat(sslkit).startsWith("error {tls_alert,");
                assertThat(code).as(erlLine).isEqualTo(1);
                assertThat(erlLine).contains("{tls_alert,{" + alert + ",");
                return ErlangInteropTest.alertOf(erlLine.substring(erlLine.indexOf("error")));
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> sslkitServerValidatesErlangClient() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String p : PROVIDERS) {
            String expired = p.equals("openssl") ? "certificate_expired" : "certificate_unknown";
            tests.add(serverCase("expired client certificate: " + expired, p, "tlsv1.2",
                    b -> b, "expired-client", expired));
            String other = p.equals("openssl") ? "handshake_failure" : "certificate_unknown";
            tests.add(serverCase("verify_fun fails the client with a user reason: " + other, p, "tlsv1.2",
                    b -> b.verifyFun(FAIL_AT_PEER, 0), "client", other));
        }
        return tests.stream();
    }

    private DynamicTest serverCase(String what, String provider, String version,
                                   java.util.function.UnaryOperator<SslOptions.Builder> options, String clientCert,
                                   String alert) {
        return Matrix.test("erlang client", "API server", what, version, provider, () -> {
            String erl = Peers.require("escript");
            SslOptions o = options.apply(pki.serverOptions(Provider.valueOf(
                    provider.toUpperCase(java.util.Locale.ROOT))).versionNames(List.of(version))
                    .verify(Verify.VERIFY_PEER).failIfNoPeerCert(true).cacertfile(pki.file("ca.pem"))).build();
            try (Ssl ssl = Ssl.start(); SslListenSocket listen = ssl.listen(0, o)) {
                CompletableFuture<String> accepted = Async.supply(() -> {
                    try (SslSocket s = listen.transportAccept(Timeout.millis(20_000))) {
                        s.handshake(Timeout.millis(20_000));
                        return "ok";
                    } catch (SslException e) {
                        return "error " + e.reason();
                    }
                });
                List<String> cmd = ErlangInteropTest.erlClient(erl, listen.port(), version);
                cmd.addAll(List.of("--certfile", pki.file(clientCert + ".pem").toString(), "--keyfile",
                        pki.file(clientCert + ".key").toString(), "--active", "once"));
                String line = ErlangInteropTest.expectError(cmd, "{tls_alert,{" + alert + ",");
                assertThat(accepted.get(30, TimeUnit.SECONDS)).startsWith("error {tls_alert,");
                return line;
            }
        });
    }
}
