package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The first slice end to end, for each provider and TLS version: handshake, send, passive recv, close. */
class SocketBasicsTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();




    private static Pair pair(Provider p, Protocol v) throws Exception {
        return Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(),
                PKI.clientOptions(p).versions(v).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void handshakesAndReportsTheNegotiatedProtocolOnBothSides(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            assertThat(pair.client().connectionInfo().protocol()).isEqualTo(v);
            assertThat(pair.server().connectionInfo().protocol()).isEqualTo(v);
            assertThat(pair.client().connectionInfo().provider()).isEqualTo(p);
            assertThat(pair.client().connectionInfo().cipherSuite())
                    .isEqualTo(pair.server().connectionInfo().cipherSuite()).startsWith("TLS_");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theServerSeesTheNameTheClientAskedForWithSni(Provider p, Protocol v) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(v).serverNameIndication("server.sslkit.test").build();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), client)) {
            assertThat(pair.server().connectionInfo().sniHostname()).contains("server.sslkit.test");
            assertThat(pair.client().connectionInfo().sniHostname()).contains("server.sslkit.test");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void sendsAndReceivesInBothDirections(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.client().send("Hello world");
            assertThat(pair.server().recv(11, Timeout.millis(10_000))).isEqualTo(bytes("Hello world"));
            pair.server().send(ByteBuffer.wrap(bytes("and back")));
            assertThat(pair.client().recv(8, Timeout.millis(10_000))).isEqualTo(bytes("and back"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void recvOfNKeepsTheSurplusAndRecvZeroReturnsWhatIsThere(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.server().send("hello world");
            assertThat(pair.client().recv(5)).isEqualTo(bytes("hello"));
            assertThat(pair.client().recv(0)).isEqualTo(bytes(" world"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void recvTimeoutLosesNoByteAndLeavesTheSocketUsable(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.server().send("Hello");
            assertThatThrownBy(() -> pair.client().recv(11, Timeout.millis(300)))
                    .isInstanceOf(SslException.class).extracting(e -> ((SslException) e).reason())
                    .isEqualTo(Reason.TIMEOUT);
            assertThatThrownBy(() -> pair.client().recv(11, Timeout.millis(0)))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.TIMEOUT);
            pair.client().send("ping");
            assertThat(pair.server().recv(4, Timeout.millis(10_000))).isEqualTo(bytes("ping"));
            pair.server().send(" world");
            assertThat(pair.client().recv(11, Timeout.millis(10_000))).isEqualTo(bytes("Hello world"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void dataBufferedBeforeThePeerClosedIsReadThenClosedRepeatedly(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.server().send("one");
            pair.server().send("two");
            pair.server().close();
            assertThat(pair.client().recv(6, Timeout.millis(10_000))).isEqualTo(bytes("onetwo"));
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> pair.client().recv(0, Timeout.millis(10_000)))
                        .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aBlockedRecvReturnsClosedWhenThePeerCloses(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            CompletableFuture<Reason> blocked = Async.supply(() -> {
                try {
                    pair.server().recv(11);
                    return null;
                } catch (SslException e) {
                    return e.reason();
                }
            });
            pair.client().close();
            assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aBulkTransferArrivesByteForByteWhileTheOtherSideSendsToo(Provider p, Protocol v) throws Exception {
        byte[] data = new byte[8 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        try (Pair pair = pair(p, v)) {
            CompletableFuture<Void> sender = Async.run(() -> {
                try {
                    for (int off = 0; off < data.length; off += 100_000) {
                        pair.client().send(ByteBuffer.wrap(data, off, Math.min(100_000, data.length - off)));
                    }
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
            pair.server().send("concurrent");
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            int received = 0;
            while (received < data.length) {
                byte[] chunk = pair.server().recv(0, Timeout.millis(20_000));
                got.update(chunk);
                received += chunk.length;
            }
            sender.get(20, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(data.length);
            assertThat(got.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            assertThat(pair.client().recv(10, Timeout.millis(10_000))).isEqualTo(bytes("concurrent"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void addressesMatchAcrossTheConnection(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            assertThat(pair.client().peername()).isEqualTo(pair.server().sockname());
            assertThat(pair.server().peername()).isEqualTo(pair.client().sockname());
            assertThat(pair.client().peername().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void peercertIsTheServersCertificateAndNoPeercertWithoutClientAuth(Provider p, Protocol v)
            throws Exception {
        try (Pair pair = pair(p, v)) {
            assertThat(pair.client().peercert().der()).isEqualTo(PKI.server.certificate().getEncoded());
            assertThat(pair.client().peercert().certificate()).isEqualTo(PKI.server.certificate());
            assertThatThrownBy(() -> pair.server().peercert())
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.Atom.NO_PEERCERT);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aServerWithVerifyPeerSeesTheClientCertificate(Provider p, Protocol v) throws Exception {
        SslOptions server = PKI.serverOptions(p).versions(v).verify(io.sslkit.Verify.VERIFY_PEER)
                .cacertfile(PKI.file("ca.pem")).build();
        SslOptions client = PKI.clientOptions(p).versions(v).certfile(PKI.file("client.pem"))
                .keyfile(PKI.file("client.key")).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.server().peercert().certificate()).isEqualTo(PKI.client.certificate());
            pair.client().send("authenticated");
            assertThat(pair.server().recv(0, Timeout.millis(10_000))).isEqualTo(bytes("authenticated"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void everyCallAfterCloseSaysClosedAndCloseIsIdempotent(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.client().close();
            pair.client().close();
            assertThatThrownBy(() -> pair.client().send("x"))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
            assertThatThrownBy(() -> pair.client().recv(0))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
            assertThatThrownBy(() -> pair.client().connectionInfo())
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
            assertThatThrownBy(() -> pair.client().peername())
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.EINVAL);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aRecvOfNThatCanNoLongerBeMetSaysClosedAndDropsTheBytesAsOtp(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.server().send("abc");
            pair.server().close();
            assertThatThrownBy(() -> pair.client().recv(10, Timeout.millis(10_000)))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
            assertThatThrownBy(() -> pair.client().recv(0, Timeout.millis(1_000)))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void negativeLengthIsEinval(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            assertThatThrownBy(() -> pair.client().recv(-1))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.EINVAL);
        }
    }
}
