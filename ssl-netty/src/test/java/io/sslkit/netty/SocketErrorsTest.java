package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Alert;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Verify;
import io.sslkit.netty.certs.HeldCertificate;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every failure of the first slice reaches the caller as a reason it can format, and nothing hangs. */
class SocketErrorsTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();




    /** As {@code reasonOf}, also checking that the reason formats and is the exception message. */
    private static Reason formattedReasonOf(ThrowingCall call) {
        try {
            call.run();
        } catch (SslException e) {
            assertThat(Ssl.formatError(e.reason())).isNotBlank().isEqualTo(e.getMessage());
            if (e.getCause() != null) {
                System.out.println("cause of " + e.reason() + ": " + e.getCause());
            }
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError("expected an SslException", e);
        }
        throw new AssertionError("expected an SslException, the call succeeded");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void connectingToAClosedPortIsEconnrefused(Provider p) throws Exception {
        int port = freePort();
        assertThat(formattedReasonOf(() -> ssl.connect("127.0.0.1", port, PKI.clientOptions(p).build())))
                .isEqualTo(Reason.ECONNREFUSED);
        assertThat(Ssl.formatError(Reason.ECONNREFUSED)).isEqualTo("connection refused");
    }

    @Test
    void anUnknownHostIsNxdomain() {
        // Tests resolve names from ci/test-hosts only: no DNS server is asked.
        assertThat(formattedReasonOf(() -> ssl.connect("no-such-host.invalid", 443, PKI.clientOptions(Provider.AUTO)
                .build()))).isEqualTo(Reason.NXDOMAIN);
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aSilentServerMakesConnectTimeOut(Provider p) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            long t0 = System.nanoTime();
            assertThat(formattedReasonOf(() -> ssl.connect("127.0.0.1", silent.getLocalPort(), PKI.clientOptions(p).build(),
                    Timeout.millis(300)))).isEqualTo(Reason.TIMEOUT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 5_000L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aServerThatClosesDuringTheHandshakeIsClosed(Provider p) throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> closer = Async.run(() -> {
                try (Socket s = rude.accept()) {
                    s.getInputStream().read(); // the ClientHello's first byte, then go away
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(formattedReasonOf(() -> ssl.connect("127.0.0.1", rude.getLocalPort(), PKI.clientOptions(p).build(),
                    Timeout.millis(10_000)))).isIn(Reason.CLOSED, Reason.ECONNRESET);
            closer.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aClientThatSendsNothingMakesHandshakeTimeOutAndTheConnectionIsClosed(Provider p) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).build());
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), listen.port())) {
            SslSocket s = listen.transportAccept(Timeout.millis(10_000));
            assertThat(formattedReasonOf(() -> s.handshake(Timeout.millis(300)))).isEqualTo(Reason.TIMEOUT);
            raw.setSoTimeout(10_000);
            assertThat(raw.getInputStream().read()).isEqualTo(-1); // the server closed it
            assertThat(formattedReasonOf(() -> s.recv(0))).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aClientThatLeavesBeforeTlsMakesHandshakeClosed(Provider p) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).build())) {
            new Socket(InetAddress.getLoopbackAddress(), listen.port()).close();
            SslSocket s = listen.transportAccept(Timeout.millis(10_000));
            assertThat(formattedReasonOf(() -> s.handshake(Timeout.millis(10_000)))).isIn(Reason.CLOSED, Reason.ECONNRESET);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aClientWithoutTheRequiredCertificateGetsTheAlertTheServerReports(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(v).verify(Verify.VERIFY_PEER)
                .cacertfile(PKI.file("ca.pem")).failIfNoPeerCert(true).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<Reason> serverSide = Async.supply(() -> formattedReasonOf(() ->
                    listen.transportAccept(Timeout.millis(10_000)).handshake(Timeout.millis(10_000))));
            Reason client = formattedReasonOf(() -> {
                // TLS 1.3: the client's handshake is over before the server reads its (empty) certificate
                try (SslSocket s = ssl.connect("localhost", listen.port(), PKI.clientOptions(p).versions(v).build(),
                        Timeout.millis(10_000))) {
                    s.recv(0, Timeout.millis(10_000));
                }
            });
            Reason local = serverSide.get(20, TimeUnit.SECONDS);
            // BoringSSL and JDK 25: handshake_failure on TLS 1.2, certificate_required on 1.3; JDK 17: bad_certificate
            Alert expected = p == Provider.JDK && Runtime.version().feature() <= 17 ? Alert.BAD_CERTIFICATE
                    : v == Protocol.TLS_V1_3 ? Alert.CERTIFICATE_REQUIRED : Alert.HANDSHAKE_FAILURE;
            assertThat(local).isInstanceOfSatisfying(Reason.TlsAlert.class, a -> {
                assertThat(a.alert()).isEqualTo(expected);
                assertThat(a.origin()).isEqualTo(Reason.TlsAlert.Origin.LOCAL);
            });
            assertThat(client).isInstanceOfSatisfying(Reason.TlsAlert.class, a -> {
                assertThat(a.alert()).as("what the client received").isEqualTo(expected);
                assertThat(a.origin()).isEqualTo(Reason.TlsAlert.Origin.PEER);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void plainTextInsteadOfAClientHelloFailsTheHandshakeWithAnAlert(Provider p) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).build());
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), listen.port())) {
            SslSocket s = listen.transportAccept(Timeout.millis(10_000));
            raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            Reason r = formattedReasonOf(() -> s.handshake(Timeout.millis(10_000)));
            assertThat(r).isInstanceOf(Reason.TlsAlert.class);
            assertThat(((Reason.TlsAlert) r).origin()).isEqualTo(Reason.TlsAlert.Origin.LOCAL);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aServerSignedByAnUnknownCaIsRefusedByTheClientWithAnAlert(Provider p, Protocol v) throws Exception {
        HeldCertificate otherRoot = HeldCertificate.builder().certificateAuthority(0).build();
        SslOptions client = SslOptions.builder().provider(p).versions(v).cacerts(otherRoot.certificate()).build();
        Reason r = formattedReasonOf(() -> Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), client));
        assertThat(r).isInstanceOf(Reason.TlsAlert.class);
        Reason.TlsAlert alert = (Reason.TlsAlert) r;
        assertThat(alert.origin()).isEqualTo(Reason.TlsAlert.Origin.LOCAL);
        assertThat(alert.role()).isEqualTo(Reason.TlsAlert.Role.CLIENT);
        assertThat(alert.alert()).isIn(Alert.CERTIFICATE_UNKNOWN, Alert.UNKNOWN_CA, Alert.BAD_CERTIFICATE);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aServerWhoseNameDoesNotMatchIsRefusedButSniDisableAcceptsIt(Provider p, Protocol v) throws Exception {
        SslOptions wrongName = PKI.clientOptions(p).versions(v).serverNameIndication("other.example").build();
        assertThat(formattedReasonOf(() -> Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), wrongName)))
                .isInstanceOf(Reason.TlsAlert.class);
        SslOptions noCheck = PKI.clientOptions(p).versions(v).disableServerNameIndication().build();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), noCheck)) {
            assertThat(pair.server().connectionInfo().sniHostname()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aClientWithoutACertificateIsRefusedByAServerThatRequiresOne(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(v).verify(Verify.VERIFY_PEER)
                .cacertfile(PKI.file("ca.pem")).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<Reason> serverSide = Async.supply(() -> formattedReasonOf(() -> {
                SslSocket s = listen.transportAccept(Timeout.millis(10_000));
                s.handshake(Timeout.millis(10_000));
            }));
            // TLS 1.3: the client finishes its handshake before the server has checked its (empty) certificate;
            // the server's alert then ends the connection and the next recv reports it (newer OTP behaviour).
            Reason client = formattedReasonOf(() -> {
                try (SslSocket c = ssl.connect("localhost", listen.port(), PKI.clientOptions(p).versions(v).build(),
                        Timeout.millis(10_000))) {
                    c.recv(0, Timeout.millis(10_000));
                }
            });
            Reason srv = serverSide.get(10, TimeUnit.SECONDS);
            assertThat(srv).isInstanceOf(Reason.TlsAlert.class);
            assertThat(((Reason.TlsAlert) srv).origin()).isEqualTo(Reason.TlsAlert.Origin.LOCAL);
            assertThat(client).isInstanceOf(Reason.TlsAlert.class);
            assertThat(((Reason.TlsAlert) client).origin()).isEqualTo(Reason.TlsAlert.Origin.PEER);
            System.out.println(p + " " + v + " client without certificate: client " + client + ", server " + srv);
        }
    }

    @Test
    void verifyNoneTrustsAnyServerAndLogsOneClearWarning() throws Exception {
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.sslkit");
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            SslOptions client = SslOptions.builder().verify(Verify.VERIFY_NONE).build();
            for (int i = 0; i < 2; i++) {
                try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(), client)) {
                    pair.server().send("ok");
                    assertThat(pair.client().recv(2, Timeout.millis(10_000))).containsExactly('o', 'k');
                }
            }
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("verify_none").contains("not authenticated");
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void aSilentPeerIsDroppedByTheRuntimesDefaultHandshakeTimeout() throws Exception {
        try (Ssl quick = Ssl.start(io.sslkit.SslRuntimeOptions.defaults().withHandshakeTimeout(Timeout.millis(300)));
             SslListenSocket listen = quick.listen(0, PKI.serverOptions(Provider.AUTO).build());
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), listen.port())) {
            SslSocket s = listen.transportAccept(Timeout.millis(10_000));
            long t0 = System.nanoTime();
            assertThat(formattedReasonOf(() -> s.handshake())).isEqualTo(Reason.TIMEOUT); // no timeout given: the default
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(250L, 5_000L);
            raw.setSoTimeout(10_000);
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(io.sslkit.SslRuntimeOptions.defaults().handshakeTimeout()).isEqualTo(Timeout.millis(60_000));
    }

    @Test
    void transportAcceptTimesOutAndClosingTheListenSocketWakesAWaitingAccept() throws Exception {
        SslListenSocket listen = ssl.listen(0, PKI.serverOptions(Provider.AUTO).build());
        assertThat(formattedReasonOf(() -> listen.transportAccept(Timeout.millis(100)))).isEqualTo(Reason.TIMEOUT);
        CompletableFuture<Reason> waiting = Async.supply(() -> formattedReasonOf(listen::transportAccept));
        listen.close();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
        listen.close(); // idempotent
        assertThat(formattedReasonOf(listen::sockname)).isEqualTo(Reason.CLOSED);
    }

    @Test
    void handshakeTwiceOrOnAClientIsEinval() throws Exception {
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build())) {
            assertThat(formattedReasonOf(() -> pair.server().handshake())).isEqualTo(Reason.EINVAL);
            assertThat(formattedReasonOf(() -> pair.client().handshake())).isEqualTo(Reason.EINVAL);
        }
    }

    @Test
    void aSocketNotYetHandshakenRefusesDataCalls() throws Exception {
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(Provider.AUTO).build());
             Socket raw = new Socket(InetAddress.getLoopbackAddress(), listen.port())) {
            SslSocket s = listen.transportAccept(Timeout.millis(10_000));
            assertThat(formattedReasonOf(() -> s.send("x"))).isEqualTo(Reason.EINVAL);
            assertThat(formattedReasonOf(() -> s.recv(0))).isEqualTo(Reason.EINVAL);
            assertThat(formattedReasonOf(s::connectionInfo)).isEqualTo(Reason.EINVAL);
            s.close();
            assertThat(formattedReasonOf(() -> s.handshake())).isEqualTo(Reason.CLOSED);
        }
    }

    @Test
    void stopClosesEverySocketItMadeAndRefusesNewWork() throws Exception {
        Ssl other = Ssl.start();
        io.sslkit.Mailbox owner = new io.sslkit.Mailbox();
        Pair pair = Loopback.connect(other, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).owner(owner).active(io.sslkit.Active.ONCE).build());
        SslListenSocket listen = other.listen(0, PKI.serverOptions(Provider.AUTO).build());
        try (Pair peerOfThis = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build())) {
            other.stop();
            assertThat(owner.receive(Timeout.millis(10_000)).orElseThrow())
                    .isEqualTo(new io.sslkit.SslMessage.Closed(pair.client()));
            assertThat(formattedReasonOf(() -> pair.client().send("x"))).isEqualTo(Reason.CLOSED);
            assertThat(formattedReasonOf(() -> pair.server().recv(0))).isEqualTo(Reason.CLOSED);
            assertThat(formattedReasonOf(listen::transportAccept)).isEqualTo(Reason.CLOSED);
            assertThatThrownBy(() -> other.connect("localhost", 1, SslOptions.defaults()))
                    .isInstanceOf(IllegalStateException.class);
            other.stop(); // idempotent
            // the other runtime is untouched
            peerOfThis.client().send("still here");
            assertThat(peerOfThis.server().recv(10, Timeout.millis(10_000))).hasSize(10);
        }
    }

    @Test
    void versionsReportsTls12And13AndTheProviderAndTransport() {
        var v = ssl.versions();
        assertThat(v.supported()).containsExactly(Protocol.TLS_V1_3, Protocol.TLS_V1_2);
        assertThat(v.available()).contains(Protocol.TLS_V1_2, Protocol.TLS_V1_3);
        assertThat(v.provider()).isEqualTo(Provider.OPENSSL); // BoringSSL loads on linux-x86_64
        assertThat(v.providerVersion()).contains("BoringSSL");
        assertThat(v.transport()).isEqualTo("epoll");
    }

    @Test
    void cipherSuitesAreListedInEachFormat() {
        assertThat(ssl.cipherSuites(io.sslkit.Format.IANA)).contains("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(ssl.cipherSuites(io.sslkit.Format.OPENSSL)).contains("ECDHE-ECDSA-AES128-GCM-SHA256");
        assertThat(ssl.cipherSuites()).isNotEmpty().allSatisfy(c -> assertThat(c.ianaName()).startsWith("TLS_"));
        assertThat(ssl.cipherSuites(io.sslkit.Format.IANA))
                .noneMatch(n -> n.contains("NULL") || n.contains("RC4") || n.contains("3DES") || n.contains("anon")
                        || n.contains("EXPORT"));
    }

    @Test
    void aWeakSuiteInTheListIsRefusedUnlessTheOptionsOptIn() {
        SslOptions weak = PKI.serverOptions(Provider.OPENSSL)
                .ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:DES-CBC3-SHA").build();
        assertThat(formattedReasonOf(() -> ssl.listen(0, weak)))
                .isEqualTo(new Reason.Options("ciphers", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "insecure_cipher"));
        try (SslListenSocket l = assertDoesNotThrow(weak.toBuilder().allowInsecureCiphers(true).build())) {
            assertThat(l).isNotNull();
        }
    }

    private static SslListenSocket assertDoesNotThrow(SslOptions o) {
        try {
            return ssl.listen(0, o);
        } catch (SslException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void negotiatedProtocolWithoutAlpnIsProtocolNotNegotiated() throws Exception {
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build())) {
            assertThat(formattedReasonOf(() -> pair.client().negotiatedProtocol()))
                    .isEqualTo(Reason.Atom.PROTOCOL_NOT_NEGOTIATED);
        }
    }

    // ---- options ----------------------------------------------------------------------------------------------

    @Test
    void aMissingCertfileIsAnOptionsErrorAtListen() {
        Path missing = PKI.dir.resolve("missing.pem");
        Reason r = formattedReasonOf(() -> ssl.listen(0, SslOptions.builder().certfile(missing).keyfile(PKI.file("server.key"))
                .build()));
        assertThat(r).isEqualTo(new Reason.Options("certfile", missing.toString(), "enoent"));
        assertThat(Ssl.formatError(r)).isEqualTo("Invalid certificate file " + missing
                + ": no such file or directory");
    }

    @Test
    void aWrongPasswordIsAnOptionsErrorThatDoesNotShowThePassword() throws Exception {
        Path key = PKI.write("enc.key", PKI.server.privateKeyPkcs8Pem("right-secret".toCharArray()));
        Reason r = formattedReasonOf(() -> ssl.listen(0, SslOptions.builder().certfile(PKI.file("server.pem")).keyfile(key)
                .password("wrong-secret").build()));
        assertThat(r).isEqualTo(new Reason.Options("keyfile", key.toString(), "bad_password"));
        assertThat(Ssl.formatError(r)).doesNotContain("wrong-secret");
        assertThat(r.toString()).doesNotContain("wrong-secret");
        try (SslListenSocket ok = ssl.listen(0, SslOptions.builder().certfile(PKI.file("server.pem")).keyfile(key)
                .password("right-secret").build())) {
            assertThat(ok.port()).isPositive();
        }
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsAnOptionsError() {
        Reason r = formattedReasonOf(() -> ssl.listen(0, SslOptions.builder().certfile(PKI.file("server.pem"))
                .keyfile(PKI.file("client.key")).build()));
        assertThat(r).isEqualTo(new Reason.Options("keyfile", PKI.file("client.key").toString(),
                "key_does_not_match_certificate"));
    }

    @Test
    void aServerWithoutACertificateAndAVerifyingClientWithoutCasAreOptionsErrors() {
        assertThat(formattedReasonOf(() -> ssl.listen(0, SslOptions.defaults())))
                .isEqualTo(new Reason.Options("certfile", "undefined", "server_needs_certificate"));
        assertThat(formattedReasonOf(() -> ssl.connect("localhost", 1, SslOptions.defaults())))
                .isEqualTo(new Reason.Options("cacerts", "undefined", "verify_peer_needs_cacerts"));
    }

    @Test
    void certificatesAndKeysGivenAsValuesWork() throws Exception {
        SslOptions server = SslOptions.builder().cert(PKI.server.certificate()).key(PKI.server.privateKey()).build();
        SslOptions client = SslOptions.builder().cacertsDer(PKI.root.certificate().getEncoded()).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.client().peercert().certificate()).isEqualTo(PKI.server.certificate());
        }
    }
}
