package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code recv(ByteBuffer, Timeout)}: the zero-copy read keeps recv's guarantees (nothing lost, order, end). */
class ZeroCopyRecvTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final Timeout WAIT = Timeout.millis(10_000);

    private static Pair pair(Provider p, Protocol v) throws Exception {
        return Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(),
                PKI.clientOptions(p).versions(v).owner(new Mailbox()).build());
    }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.UTF_8.decode(b).toString();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void whatDoesNotFitStaysBufferedInOrder(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.server().send("hello world");
            ByteBuffer small = ByteBuffer.allocate(5);
            assertThat(pair.client().recv(small, WAIT)).isEqualTo(5);
            assertThat(text(small)).isEqualTo("hello");
            ByteBuffer rest = ByteBuffer.allocateDirect(64);
            int got = 0;
            while (got < 6) {
                got += pair.client().recv(rest, WAIT);
            }
            assertThat(text(rest)).isEqualTo(" world");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aTimeoutLosesNothingAndClosedComesAfterTheData(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            assertThat(reasonOf(() -> pair.client().recv(ByteBuffer.allocate(8), Timeout.millis(50))))
                    .isEqualTo(Reason.TIMEOUT);
            pair.server().send("abc");
            pair.server().close();
            ByteBuffer dst = ByteBuffer.allocate(8);
            while (dst.position() < 3) {
                pair.client().recv(dst, WAIT);
            }
            assertThat(text(dst)).isEqualTo("abc");
            assertThat(reasonOf(() -> pair.client().recv(ByteBuffer.allocate(8), WAIT))).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void onlyForPassiveRawSockets(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            pair.client().setopts(Opt.PACKET.of(PacketType.FOUR));
            pair.server().send(new byte[] {0, 0, 0, 1, 'x'});
            assertThat(reasonOf(() -> pair.client().recv(ByteBuffer.allocate(8), WAIT))).isEqualTo(Reason.EINVAL);
            assertThat(new String(pair.client().recv(0, WAIT), StandardCharsets.UTF_8)).isEqualTo("x");
            pair.client().setopts(Opt.PACKET.of(PacketType.RAW), Opt.ACTIVE.of(Active.TRUE));
            assertThat(reasonOf(() -> pair.client().recv(ByteBuffer.allocate(8), WAIT))).isEqualTo(Reason.EINVAL);
        }
    }
}
