package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.ConnectionInfo;
import io.sslkit.How;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Half-close, renegotiation and key update ({@code ERLANG-SSL.md} §6, scenarios 38–46). */
class LifecycleTest extends RuntimeTest {

    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki PKI = TestPki.ec();

    private static Pair pair(Provider p, Protocol v, boolean exitOnClose) throws Exception {
        return Loopback.connect(ssl,
                PKI.serverOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, exitOnClose).build(),
                PKI.clientOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, exitOnClose).build());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void hejHejHoppBothSidesHalfCloseAndStillReceive(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            SslSocket server = pair.server();
            SslSocket client = pair.client();
            CompletableFuture<String> serverSide = Async.supply(() -> {
                try {
                    server.send("Hej");
                    server.shutdown(How.WRITE);
                    return text(server.recv(8, WAIT));
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
            client.send("Hej hopp");
            client.shutdown(How.WRITE);
            assertThat(text(client.recv(3, WAIT))).isEqualTo("Hej");
            assertThat(serverSide.get(10, TimeUnit.SECONDS)).isEqualTo("Hej hopp");
            assertThat(reasonOf(() -> client.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> server.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> client.send("x"))).isEqualTo(Reason.CLOSED);
            assertThat(client.connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.TRUNCATED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aPeerWithExitOnCloseFalseKeepsSendingAfterOurShutdownWrite(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            pair.client().send("request");
            pair.client().shutdown(How.WRITE);
            assertThat(text(pair.server().recv(7, WAIT))).isEqualTo("request");
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            byte[] big = new byte[300_000];
            new Pattern(3).fill(big, 0, big.length, 0);
            pair.server().send(big); // the server can still answer
            pair.server().close();
            ByteBuffer got = ByteBuffer.allocate(big.length);
            while (got.hasRemaining()) {
                got.put(pair.client().recv(0, WAIT));
            }
            assertThat(got.array()).isEqualTo(big);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void withTheDefaultExitOnCloseTheConnectionEndsWhenThePeerHalfCloses(Provider p, Protocol v)
            throws Exception {
        try (Pair pair = pair(p, v, true)) {
            pair.server().send("bye");
            pair.server().shutdown(How.WRITE);
            assertThat(text(pair.client().recv(3, WAIT))).isEqualTo("bye");
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            // the client closed its side as well: the server's recv ends too
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void shutdownReadWriteSendsCloseNotifyAndBothDirectionsAreClosed(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            pair.server().shutdown(How.READ_WRITE);
            assertThat(reasonOf(() -> pair.server().send("x"))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(pair.client().connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.CLOSE_NOTIFY);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aCloseIsCloseNotifyButAShutdownWriteLooksLikeATruncation(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            pair.server().close();
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(pair.client().connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.CLOSE_NOTIFY);
        }
        try (Pair pair = pair(p, v, false)) {
            assertThat(pair.client().connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.OPEN);
            pair.server().shutdown(How.WRITE);
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(pair.client().connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.TRUNCATED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void shutdownReadStopsReceivingButSendingGoesOn(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            pair.client().shutdown(How.READ);
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            pair.client().send("still sending");
            assertThat(text(pair.server().recv(13, WAIT))).isEqualTo("still sending");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void closeWithATimeoutWaitsForThePeersCloseNotify(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, true)) {
            CompletableFuture<Reason> peer = Async.supply(() -> reasonOf(() -> {
                pair.server().recv(0, WAIT); // sees the close and, with exit_on_close, closes (close_notify) too
            }));
            pair.client().close(Timeout.millis(10_000));
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.client().close(Timeout.millis(100)))).isEqualTo(Reason.CLOSED);
        }
        try (Pair pair = pair(p, v, false)) {
            if (p == Provider.JDK && v == Protocol.TLS_V1_3) {
                // only the JDK's TLS 1.3 engine lets a side that got close_notify keep writing: with exit_on_close
                // false that peer never answers, so the wait ends in a timeout
                assertThat(reasonOf(() -> pair.client().close(Timeout.millis(300)))).isEqualTo(Reason.TIMEOUT);
            } else {
                // BoringSSL (1.2 and 1.3) and the JDK on 1.2 answer close_notify with close_notify at once
                pair.client().close(Timeout.millis(10_000));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void everyByteSentBeforeShutdownWriteArrivesEvenWhenTcpPushesBack(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v, false)) {
            byte[] big = new byte[8 << 20]; // far more than the socket buffers: queued when shutdown is called
            new Pattern(9).fill(big, 0, big.length, 0);
            CompletableFuture<Long> reader = Async.supply(() -> {
                long got = 0;
                Pattern pattern = new Pattern(9);
                try {
                    while (true) {
                        byte[] b = pair.client().recv(0, Timeout.millis(20_000));
                        assertThat(pattern.firstMismatch(b, got)).isEqualTo(-1);
                        got += b.length;
                    }
                } catch (SslException e) {
                    assertThat(e.reason()).isEqualTo(Reason.CLOSED);
                }
                return got;
            });
            pair.server().send(big);
            pair.server().shutdown(How.WRITE);
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(big.length);
        }
        try (Pair pair = pair(p, v, true)) {
            pair.client().close();
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            // shutting down a socket whose peer has gone: ok or closed, never an unexpected error
            try {
                pair.server().shutdown(How.WRITE);
            } catch (SslException e) {
                assertThat(e.reason()).isEqualTo(Reason.CLOSED);
            }
        }
    }

    // ---- renegotiation and key update ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} initiates")
    @EnumSource(value = Side.class)
    void aJdkTls12RenegotiationLosesNoDataFlowingBothWays(Side initiator) throws Exception {
        try (Pair pair = pair(Provider.JDK, Protocol.TLS_V1_2, true)) {
            SslSocket renegotiator = initiator == Side.CLIENT ? pair.client() : pair.server();
            int total = 200_000;
            CompletableFuture<Void> c2s = stream(pair.client(), 11, total);
            CompletableFuture<Void> s2c = stream(pair.server(), 12, total);
            CompletableFuture<Long> atServer = drain(pair.server(), 11, total);
            CompletableFuture<Long> atClient = drain(pair.client(), 12, total);
            // Each side keeps reading until the other says "done" after the renegotiation: the responder must read
            // to see the renegotiation at all (a TLS 1.2 peer that stops reading stalls it, in OTP too).
            SslSocket other = renegotiator == pair.client() ? pair.server() : pair.client();
            CompletableFuture<String> otherWaits = Async.supply(() -> {
                try {
                    long n = (other == pair.server() ? atServer : atClient).get(20, TimeUnit.SECONDS);
                    assertThat(n).isEqualTo(total);
                    return text(other.recv(4, Timeout.millis(30_000)));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            renegotiator.renegotiate();
            renegotiator.send("done");
            assertThat(otherWaits.get(30, TimeUnit.SECONDS)).isEqualTo("done");
            c2s.get(20, TimeUnit.SECONDS);
            s2c.get(20, TimeUnit.SECONDS);
            assertThat(atServer.get(20, TimeUnit.SECONDS)).isEqualTo(total);
            assertThat(atClient.get(20, TimeUnit.SECONDS)).isEqualTo(total);
            pair.client().send("after");
            assertThat(text(pair.server().recv(5, WAIT))).isEqualTo("after");
        }
    }

    enum Side { CLIENT, SERVER }

    /** Sends {@code total} bytes of a pattern in 1,000-byte sends, as OTP's scenario 42 does. */
    private static CompletableFuture<Void> stream(SslSocket s, long seed, int total) {
        return Async.run(() -> {
            byte[] buf = new byte[1000];
            Pattern pattern = new Pattern(seed);
            try {
                for (int sent = 0; sent < total; sent += buf.length) {
                    pattern.fill(buf, 0, buf.length, sent);
                    s.send(buf);
                }
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static CompletableFuture<Long> drain(SslSocket s, long seed, int total) {
        return Async.supply(() -> {
            Pattern pattern = new Pattern(seed);
            long got = 0;
            try {
                while (got < total) {
                    // exactly what is left of the stream: a later message ("done") must not be read with it
                    byte[] b = s.recv((int) Math.min(total - got, 16_384), Timeout.millis(20_000));
                    assertThat(pattern.firstMismatch(b, got)).isEqualTo(-1);
                    got += b.length;
                }
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
            return got;
        });
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class)
    void anEngineOrVersionThatCannotRenegotiateSaysNotsupAndTheConnectionGoesOn(Protocol v) throws Exception {
        try (Pair pair = pair(Provider.OPENSSL, v, true)) {
            assertThat(reasonOf(() -> pair.client().renegotiate())).isEqualTo(Reason.Atom.NOTSUP);
            assertThat(reasonOf(() -> pair.server().renegotiate())).isEqualTo(Reason.Atom.NOTSUP);
            assertThat(reasonOf(() -> pair.client().updateKeys(How.WRITE))).isEqualTo(Reason.Atom.NOTSUP);
            pair.client().send("alive");
            assertThat(text(pair.server().recv(5, WAIT))).isEqualTo("alive");
        }
        try (Pair pair = pair(Provider.JDK, Protocol.TLS_V1_3, true)) {
            assertThat(reasonOf(() -> pair.client().renegotiate())).isEqualTo(Reason.Atom.NOTSUP);
            assertThat(reasonOf(() -> pair.client().updateKeys(How.READ))).isEqualTo(Reason.EINVAL);
        }
        assertThat(Ssl.formatError(Reason.Atom.NOTSUP)).isEqualTo("Unexpected error: notsup");
    }

    @ParameterizedTest
    @EnumSource(value = How.class, names = {"WRITE", "READ_WRITE"})
    void aJdkTls13KeyUpdateKeepsTheConnectionWorking(How how) throws Exception {
        try (Pair pair = pair(Provider.JDK, Protocol.TLS_V1_3, true)) {
            pair.client().send("before");
            assertThat(text(pair.server().recv(6, WAIT))).isEqualTo("before");
            pair.client().updateKeys(how);
            pair.client().send("after");
            assertThat(text(pair.server().recv(5, WAIT))).isEqualTo("after");
            pair.server().send("back");
            assertThat(text(pair.client().recv(4, WAIT))).isEqualTo("back");
        }
    }
}
