package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.How;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An echo whose client half-closes after streaming: the server keeps echoing after the FIN, and every byte comes
 * back before the server's own end. The server still has megabytes to write when the client's FIN arrives, so its
 * socket buffer fills after the input side was shut down; on Netty 4.2.18's epoll transport this lost the rest of
 * the echo until {@code EpollRearm} (about one round in three failed).
 */
class HalfCloseEchoTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final int TOTAL = 16_000_000;
    private static final Timeout QUIET = Timeout.millis(20_000);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aHalfClosingClientGetsEveryEchoedByteBack(Provider p, Protocol v) throws Exception {
        for (int round = 0; round < 3; round++) {
            try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, false)
                    .build(), PKI.clientOptions(Provider.JDK).versions(v).set(Opt.EXIT_ON_CLOSE, false).build())) {
                CompletableFuture<Long> echo = Async.supply(() -> echoUntilClosed(pair.server()));
                Pattern pattern = new Pattern(round);
                CompletableFuture<Void> sender = Async.run(() -> streamThenHalfClose(pair.client(),
                        pattern));
                long got = 0;
                SslException end = null;
                try {
                    while (true) {
                        byte[] b = pair.client().recv(0, QUIET);
                        assertThat(pattern.firstMismatch(b, got)).as("echoed bytes at %d", got).isEqualTo(-1);
                        got += b.length;
                    }
                } catch (SslException e) {
                    end = e;
                }
                assertThat(end.reason()).as("how the echo ended after %d bytes", got).isEqualTo(Reason.CLOSED);
                assertThat(got).as("client got back (round %d)", round).isEqualTo(TOTAL);
                sender.get(20, TimeUnit.SECONDS);
                assertThat(echo.get(20, TimeUnit.SECONDS)).as("server received").isEqualTo(TOTAL);
            }
        }
    }

    /** recv(0)/send until the client's end of stream, then the server's own shutdown(write). */
    private static long echoUntilClosed(SslSocket server) {
        long n = 0;
        try {
            try {
                while (true) {
                    byte[] b = server.recv(0, QUIET);
                    n += b.length;
                    server.send(b);
                }
            } catch (SslException e) {
                if (e.reason() != Reason.CLOSED) {
                    throw e;
                }
            }
            server.shutdown(How.WRITE);
            return n;
        } catch (SslException e) {
            throw new IllegalStateException("server echo failed after " + n + " bytes: " + e.getMessage(), e);
        }
    }

    private static void streamThenHalfClose(SslSocket client, Pattern pattern) {
        byte[] buf = new byte[65536];
        try {
            for (int off = 0; off < TOTAL; off += buf.length) {
                int n = Math.min(buf.length, TOTAL - off);
                pattern.fill(buf, 0, n, off);
                client.send(ByteBuffer.wrap(buf, 0, n));
            }
            client.shutdown(How.WRITE);
        } catch (SslException e) {
            throw new IllegalStateException("client send failed: " + e.getMessage(), e);
        }
    }
}
