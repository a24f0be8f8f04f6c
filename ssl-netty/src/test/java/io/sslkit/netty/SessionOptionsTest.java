package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.ConnectionInfo;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.ReuseSessionFun;
import io.sslkit.SavedSession;
import io.sslkit.SessionTickets;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.FaultProxy;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The session options of issue 6 over loopback: the server's {@code reuse_session} fun, a client's saved session
 * ({@code {reuse_sessions, save}} + {@code {reuse_session, …}}), and {@code session_tickets} (OTP scenarios 58–59).
 */
class SessionOptionsTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final Timeout WAIT = Timeout.millis(10_000);

    /** Both sides of one connection, and the client's saved session (null if it could not be saved). */
    record Run(ConnectionInfo client, ConnectionInfo server, SavedSession saved) {
    }

    /**
     * Connects to {@code port} (the listener's, or a proxy's), exchanges a byte each way (TLS 1.3 tickets come
     * before the server's byte), saves the client's session, and closes.
     */
    private static Run once(int port, SslListenSocket listen, SslOptions client) throws Exception {
        CompletableFuture<ConnectionInfo> server = Async.supply(() -> {
            try (SslSocket s = listen.transportAccept(WAIT)) {
                s.handshake(WAIT);
                s.send("x");
                s.recv(1, WAIT);
                return s.connectionInfo();
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
        });
        try (SslSocket c = ssl.connect("localhost", port, client, WAIT)) {
            c.recv(1, WAIT);
            c.send("y");
            SavedSession saved;
            try {
                saved = c.session();
            } catch (SslException e) {
                saved = null;
            }
            return new Run(c.connectionInfo(), server.get(10, TimeUnit.SECONDS), saved);
        }
    }

    private static Run once(SslListenSocket listen, SslOptions client) throws Exception {
        return once(listen.port(), listen, client);
    }

    // ---- server reuse_session fun (TLS 1.2 session ids) ----

    /** What the fun was asked: the suggested id and the suite. */
    record Asked(byte[] id, byte[] peerCert, int compression, String suite) {
    }

    @ParameterizedTest(name = "client {0}")
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aServerFunSaysWhetherATls12SessionIsResumed(Provider clientProvider) throws Exception {
        for (boolean answer : new boolean[] {true, false}) {
            List<Asked> asked = new CopyOnWriteArrayList<>();
            ReuseSessionFun fun = (id, cert, compression, suite) -> {
                asked.add(new Asked(id, cert, compression, suite));
                return answer;
            };
            SslOptions server = PKI.serverOptions(Provider.AUTO).reuseSession(fun).build();
            SslOptions client = PKI.clientOptions(clientProvider).versions(Protocol.TLS_V1_2).build();
            try (SslListenSocket listen = ssl.listen(0, server)) {
                Run first = once(listen, client);
                Run second = once(listen, client);
                assertThat(first.server().provider()).isEqualTo(Provider.OPENSSL); // auto picks BoringSSL
                assertThat(first.client().sessionResumed()).isFalse();
                assertThat(asked).as("the fun is asked about the offered session").hasSize(1);
                assertThat(asked.get(0).id()).isEqualTo(first.server().sessionId());
                assertThat(asked.get(0).suite()).isEqualTo(first.server().cipherSuite());
                assertThat(asked.get(0).compression()).isZero();
                assertThat(asked.get(0).peerCert()).as("no client certificate").isNull();
                assertThat(second.client().sessionResumed()).as("fun says %s", answer).isEqualTo(answer);
                assertThat(second.server().sessionResumed()).isEqualTo(answer);
                if (answer) {
                    assertThat(second.server().sessionId()).isEqualTo(first.server().sessionId());
                } else {
                    assertThat(second.server().sessionId()).isNotEqualTo(first.server().sessionId());
                }
            }
        }
    }

    @Test
    void theFunGetsTheClientCertificateAndAThrowingFunMeansNoResumption() throws Exception {
        List<byte[]> certs = new CopyOnWriteArrayList<>();
        ReuseSessionFun fun = (id, cert, compression, suite) -> {
            certs.add(cert);
            throw new IllegalStateException("refused by a test fun");
        };
        SslOptions server = PKI.serverOptions(Provider.OPENSSL).reuseSession(fun)
                .verify(io.sslkit.Verify.VERIFY_PEER).cacertfile(PKI.file("ca.pem")).build();
        SslOptions client = PKI.clientOptions(Provider.OPENSSL).versions(Protocol.TLS_V1_2)
                .certfile(PKI.file("client.pem")).keyfile(PKI.file("client.key")).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            Run first = once(listen, client);
            Run second = once(listen, client);
            assertThat(certs).hasSize(1);
            assertThat(certs.get(0)).isEqualTo(PKI.client.certificate().getEncoded());
            assertThat(second.server().sessionResumed()).isFalse();
            assertThat(second.server().sessionId()).isNotEqualTo(first.server().sessionId());
        }
    }

    @ParameterizedTest(name = "client {0}")
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void theFunIsNotAskedForTls13Tickets(Provider clientProvider) throws Exception {
        List<byte[]> asked = new CopyOnWriteArrayList<>();
        SslOptions server = PKI.serverOptions(Provider.AUTO)
                .reuseSession((id, cert, compression, suite) -> asked.add(id) && false).build();
        SslOptions client = PKI.clientOptions(clientProvider).versions(Protocol.TLS_V1_3).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            once(listen, client);
            Run second = once(listen, client);
            assertThat(second.client().sessionResumed()).as("TLS 1.3 resumes from a ticket").isTrue();
            assertThat(asked).isEmpty();
        }
    }

    @Test
    void aFunNeedsBoringSslAndNoSniSelection() {
        ReuseSessionFun fun = ReuseSessionFun.ACCEPT_ALL;
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.JDK).reuseSession(fun).build())))
                .isEqualTo(new Reason.Options("reuse_session", "fun", "needs_openssl_engine"));
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.AUTO).reuseSession(fun)
                .sniHosts(Map.of("a.example", PKI.serverOptions(Provider.AUTO).build())).build())))
                .isEqualTo(new Reason.Options("reuse_session", "fun", "incompatible"));
        assertThat(reasonOf(() -> ssl.connect("localhost", 1, PKI.clientOptions(Provider.AUTO).reuseSession(fun)
                .build())))
                .isEqualTo(new Reason.Options("reuse_session", "fun", "server_only"));
    }

    // ---- client: saved session, resumed explicitly ----

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aSavedSessionIsResumedOnAnotherAddressEvenWithReuseSessionsFalse(Provider p, Protocol v) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(v).build();
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).versions(v).build());
             FaultProxy proxy = new FaultProxy(new InetSocketAddress("127.0.0.1", listen.port()),
                     FaultProxy.Fault.NONE, 0)) {
            Run first = once(listen, client);
            assertThat(first.saved()).isNotNull();
            assertThat(first.saved().protocol()).isEqualTo(v);
            assertThat(first.saved().id()).isEqualTo(first.client().sessionId());
            // another port (a proxy), and options that would not resume by themselves
            SslOptions explicit = client.toBuilder().reuseSessions(false).reuseSession(first.saved()).build();
            Run second = once(proxy.port(), listen, explicit);
            assertThat(second.client().sessionResumed()).as("explicitly resumed").isTrue();
            assertThat(second.server().sessionResumed()).isTrue();
            if (v == Protocol.TLS_V1_2) {
                assertThat(second.client().sessionId()).isEqualTo(first.client().sessionId());
            }
            // the same address without the saved session: reuse_sessions false, nothing is offered
            Run third = once(proxy.port(), listen, client.toBuilder().reuseSessions(false).build());
            assertThat(third.client().sessionResumed()).isFalse();
        }
    }

    @Test
    void savedSessionsAreClientSideAndOfOneEngine() throws Exception {
        SslOptions client = PKI.clientOptions(Provider.OPENSSL).build();
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(Provider.OPENSSL).build())) {
            Run first = once(listen, client);
            SavedSession saved = first.saved();
            assertThat(reasonOf(() -> ssl.connect("localhost", listen.port(),
                    PKI.clientOptions(Provider.JDK).reuseSession(saved).build())))
                    .isEqualTo(new Reason.Options("reuse_session", saved.toString(), "other_provider"));
            assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.AUTO).reuseSession(saved).build())))
                    .isEqualTo(new Reason.Options("reuse_session", "{SessionId,SessionData}", "client_only"));
            Run none = once(listen, client.toBuilder().reuseSessions(false).build());
            assertThat(none.saved()).as("reuse_sessions false keeps no session").isNull();
        }
    }

    // ---- session_tickets ----

    @ParameterizedTest(name = "client {0} {1}")
    @MethodSource("engines")
    void aServerWithTicketsDisabledResumesTls12ByIdAndTls13Not(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(Provider.AUTO).sessionTickets(SessionTickets.DISABLED).build();
        SslOptions client = PKI.clientOptions(p).versions(v).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            Run first = once(listen, client);
            Run second = once(listen, client);
            assertThat(first.server().provider()).isEqualTo(Provider.OPENSSL);
            boolean expected = v == Protocol.TLS_V1_2;
            assertThat(second.client().sessionResumed()).as("%s %s", p, v).isEqualTo(expected);
            assertThat(second.server().sessionResumed()).isEqualTo(expected);
        }
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.JDK)
                .sessionTickets(SessionTickets.DISABLED).build())))
                .isEqualTo(new Reason.Options("session_tickets", "disabled", "needs_openssl_engine"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aClientWithTicketsDisabledDoesNotResumeTls13(Provider p) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(Protocol.TLS_V1_3)
                .sessionTickets(SessionTickets.DISABLED).build();
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).build())) {
            once(listen, client);
            Run second = once(listen, client);
            assertThat(second.client().sessionResumed()).isFalse();
            assertThat(second.server().sessionResumed()).isFalse();
            // the same server and client, auto: the second connection resumes (scenario 59)
            SslOptions auto = client.toBuilder().sessionTickets(SessionTickets.AUTO).build();
            once(listen, auto);
            assertThat(once(listen, auto).client().sessionResumed()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aTls12OnlyClientWithTicketsDisabledStillResumesById(Provider p) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(Protocol.TLS_V1_2)
                .sessionTickets(SessionTickets.DISABLED).build();
        try (SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).build())) {
            Run first = once(listen, client);
            Run second = once(listen, client);
            assertThat(second.client().sessionResumed()).isTrue();
            assertThat(second.client().sessionId()).isEqualTo(first.client().sessionId());
        }
    }

    @Test
    void ticketModesNoEngineHasAndModesOfTheOtherRoleAreOptionsErrors() {
        for (SessionTickets t : List.of(SessionTickets.STATEFUL, SessionTickets.STATEFUL_WITH_CERT)) {
            assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.AUTO).sessionTickets(t).build())))
                    .isEqualTo(new Reason.Options("session_tickets", t.atom(), "not_supported_by_engines"));
        }
        assertThat(reasonOf(() -> ssl.connect("localhost", 1, PKI.clientOptions(Provider.AUTO)
                .sessionTickets(SessionTickets.MANUAL).build())))
                .isEqualTo(new Reason.Options("session_tickets", "manual", "not_supported_by_engines"));
        assertThat(reasonOf(() -> ssl.connect("localhost", 1, PKI.clientOptions(Provider.AUTO)
                .sessionTickets(SessionTickets.STATELESS).build())))
                .isEqualTo(new Reason.Options("session_tickets", "stateless", "server_only"));
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.AUTO)
                .sessionTickets(SessionTickets.AUTO).build())))
                .isEqualTo(new Reason.Options("session_tickets", "auto", "client_only"));
        assertThat(io.sslkit.Ssl.formatError(new Reason.Options("session_tickets", "manual",
                "not_supported_by_engines"))).isEqualTo("Invalid TLS option: {not_supported_by_engines,{session_tickets,manual}}");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SessionTickets.class, names = {"STATELESS", "STATELESS_WITH_CERT"})
    void statelessTicketsResumeTls13OnBothEnginesAndKeepThePeerCertificate(SessionTickets mode) throws Exception {
        for (Provider p : List.of(Provider.OPENSSL, Provider.JDK)) {
            SslOptions server = PKI.serverOptions(p).sessionTickets(mode).build();
            SslOptions client = PKI.clientOptions(p).versions(Protocol.TLS_V1_3).build();
            try (SslListenSocket listen = ssl.listen(0, server)) {
                once(listen, client);
                Run second = once(listen, client);
                assertThat(second.client().sessionResumed()).as("%s %s", p, mode).isTrue();
            }
        }
    }
}
