package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.FaultProxy;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Options that pick the engine by what they ask (renegotiation), and the session options (issue 6). */
class SessionAndRenegotiationOptionsTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final Timeout WAIT = Timeout.millis(10_000);

    @Test
    void renegotiationSelectsTheJdkEngineUnderAutoAndIsAnErrorWithOpenssl() throws Exception {
        SslOptions client = PKI.clientOptions(Provider.AUTO).versions(Protocol.TLS_V1_2).renegotiation(true).build();
        SslOptions server = PKI.serverOptions(Provider.AUTO).renegotiation(true).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.client().connectionInfo().provider()).isEqualTo(Provider.JDK);
            CompletableFuture<byte[]> reader = Async.supply(() -> {
                try {
                    return pair.server().recv(2, WAIT);
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
            pair.client().renegotiate();
            pair.client().send("ok");
            assertThat(reader.get(10, TimeUnit.SECONDS)).hasSize(2);
        }
        Reason r = reasonOf(() -> ssl.connect("localhost", 1,
                PKI.clientOptions(Provider.OPENSSL).renegotiation(true).build()));
        assertThat(r).isEqualTo(new Reason.Options("renegotiation", "true", "needs_jdk_engine"));
        assertThat(io.sslkit.Ssl.formatError(r)).isEqualTo("Invalid TLS option: {needs_jdk_engine,{renegotiation,true}}");
    }

    @Test
    void aServerThatRefusesClientRenegotiationGivesRenegotiationRejected() throws Exception {
        SslOptions server = PKI.serverOptions(Provider.AUTO).clientRenegotiation(false).build();
        SslOptions client = PKI.clientOptions(Provider.AUTO).versions(Protocol.TLS_V1_2).renegotiation(true).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.server().connectionInfo().provider()).isEqualTo(Provider.OPENSSL);
            CompletableFuture<Reason> serverReads = Async.supply(() -> reasonOf(() ->
                    pair.server().recv(5, Timeout.millis(5_000))));
            Reason r = reasonOf(() -> pair.client().renegotiate());
            assertThat(r).isEqualTo(Reason.Atom.RENEGOTIATION_REJECTED);
            // The JDK client takes BoringSSL's no_renegotiation as the end of the connection (OTP's would go on)
            assertThat(serverReads.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
        }
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.JDK).clientRenegotiation(false).build())))
                .isEqualTo(new Reason.Options("client_renegotiation", "false", "needs_openssl_engine"));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void reuseSessionsFalseOnEitherSideMeansNoResumption(Provider p) throws Exception {
        for (boolean clientSide : new boolean[] {true, false}) {
            // a server that refuses resumption runs on BoringSSL (auto picks it; see reuseSessions)
            SslOptions server = PKI.serverOptions(clientSide ? p : Provider.AUTO).reuseSessions(clientSide).build();
            SslOptions client = PKI.clientOptions(p).reuseSessions(!clientSide).build();
            try (SslListenSocket listen = ssl.listen(0, server)) {
                boolean[] resumed = new boolean[2];
                for (int i = 0; i < 2; i++) {
                    resumed[i] = connectOnce(listen.port(), listen, client);
                }
                assertThat(resumed).as("reuse_sessions false on the %s", clientSide ? "client" : "server")
                        .containsExactly(false, false);
            }
        }
    }

    /** Connects, exchanges a byte each way (TLS 1.3 tickets come after the handshake), says if it resumed. */
    private static boolean connectOnce(int port, SslListenSocket listen, SslOptions client) throws Exception {
        CompletableFuture<Void> server = Async.run(() -> {
            try (SslSocket s = listen.transportAccept(WAIT)) {
                s.handshake(WAIT);
                s.send("x");
                s.recv(1, WAIT);
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
        });
        try (SslSocket c = ssl.connect("localhost", port, client, WAIT)) {
            c.recv(1, WAIT);
            c.send("y");
            boolean resumed = c.connectionInfo().sessionResumed();
            server.get(10, TimeUnit.SECONDS);
            return resumed;
        }
    }

    @Test
    void serversThatShareTicketKeysResumeEachOthersSessionsAndRotationKeepsOldTickets() throws Exception {
        byte[] key1 = new byte[48];
        byte[] key2 = new byte[48];
        new SecureRandom().nextBytes(key1);
        new SecureRandom().nextBytes(key2);
        SslOptions server = PKI.serverOptions(Provider.OPENSSL).versions(Protocol.TLS_V1_3)
                .sessionTicketKeys(List.of(key1)).build();
        SslOptions client = PKI.clientOptions(Provider.OPENSSL).versions(Protocol.TLS_V1_3).build();
        try (SslListenSocket a = ssl.listen(0, server); SslListenSocket b = ssl.listen(0, server)) {
            // a "load balancer" address that first leads to server A, then to server B
            try (FaultProxy lb = new FaultProxy(new InetSocketAddress("127.0.0.1", a.port()), FaultProxy.Fault.NONE,
                    0)) {
                assertThat(connectOnce(lb.port(), a, client)).as("first connection: full handshake").isFalse();
                b.sessionTicketKeys(List.of(key2, key1)); // rotation on B: new key first, the old one still decrypts
                lb.retarget(new InetSocketAddress("127.0.0.1", b.port()));
                assertThat(connectOnce(lb.port(), b, client)).as("B resumes A's session").isTrue();
            }
        }
        assertThat(reasonOf(() -> ssl.listen(0, PKI.serverOptions(Provider.JDK)
                .sessionTicketKeys(List.of(key1)).build())))
                .isEqualTo(new Reason.Options("session_ticket_keys", "[keys]", "needs_openssl_engine"));
    }
}
