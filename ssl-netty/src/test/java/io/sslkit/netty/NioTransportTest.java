package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslMessage;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NIO transport end to end: the fallback wherever no native transport loads (Windows, or
 * {@code -Dio.netty.transport.noNative=true}). Every other loopback test runs on epoll here, which hid that every NIO
 * {@code connect} failed with {@code closed} (a client channel that is not connected yet reports its input as shut
 * down, and the pipeline took that for the peer's FIN).
 */
class NioTransportTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final Timeout STEP = Timeout.millis(20_000);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aNioRuntimeConnectsExchangesAndSeesThePeersClose(Provider p, Protocol v) throws Exception {
        try (Ssl nio = Ssl.start(SslRuntimeOptions.defaults().withTransport(SslRuntimeOptions.Transport.NIO))) {
            assertThat(nio.versions().toString()).contains("nio");
            Mailbox owner = new Mailbox();
            try (Pair pair = Loopback.connect(nio, PKI.serverOptions(p).versions(v).build(),
                    PKI.clientOptions(p).versions(v).owner(owner).build())) {
                pair.client().send("ping".getBytes(StandardCharsets.US_ASCII));
                assertThat(text(pair.server().recv(4, STEP))).isEqualTo("ping");

                pair.client().setopts(Opt.ACTIVE.of(Active.ONCE));
                pair.server().send("pong".getBytes(StandardCharsets.US_ASCII));
                SslMessage got = owner.receive(STEP).orElseThrow();
                assertThat(got).isInstanceOf(SslMessage.Data.class);
                assertThat(text(((SslMessage.Data) got).bytes())).isEqualTo("pong");

                pair.server().close();
                pair.client().setopts(Opt.ACTIVE.of(Active.ONCE));
                assertThat(owner.receive(STEP).orElseThrow()).isInstanceOf(SslMessage.Closed.class);
                assertThat(reasonOf(() -> pair.client().send("late".getBytes(StandardCharsets.US_ASCII))))
                        .isEqualTo(Reason.CLOSED);
            }
        }
    }
}
