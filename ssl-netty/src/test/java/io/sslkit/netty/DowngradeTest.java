package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.sslkit.Active;
import io.sslkit.Downgraded;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.PlainSocket;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TLS downgrade, {@code ssl:close(S, {NewOwner, Timeout})} ({@code ERLANG-SSL.md} scenario 13, T3 tls_downgrade). */
class DowngradeTest extends RuntimeTest {

    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki PKI = TestPki.ec();

    private static Pair pair(Provider p, Protocol v) throws Exception {
        return Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(),
                PKI.clientOptions(p).versions(v).build());
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Reason reasonOf(Call c) {
        try {
            c.run();
        } catch (SslException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an SslException");
    }

    interface Call {
        void run() throws Exception;
    }

    /** An echo in both directions: afterwards neither side has a read outstanding (see NETTY.md, flow control). */
    private static void echo(Pair pair) throws Exception {
        pair.client().send("hello");
        byte[] got = pair.server().recv(5, WAIT);
        pair.server().send(got);
        assertThat(text(pair.client().recv(5, WAIT))).isEqualTo("hello");
    }

    private static CompletableFuture<Downgraded> downgradeAsync(SslSocket s) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return s.downgrade(WAIT);
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** Exactly {@code n} bytes of the plain stream: the first bytes, then what {@code recv} gives. */
    private static byte[] readPlain(Downgraded d, int n) throws SslException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(d.firstBytes());
        while (out.size() < n) {
            out.writeBytes(d.socket().recv(0, WAIT));
        }
        assertThat(out.size()).isEqualTo(n);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void afterAnEchoBothSidesDowngradeAndTalkPlainBothWays(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            echo(pair);
            CompletableFuture<Downgraded> serverSide = downgradeAsync(pair.server());
            Downgraded client = pair.client().downgrade(WAIT);
            Downgraded server = serverSide.get(10, TimeUnit.SECONDS);
            try (PlainSocket c = client.socket(); PlainSocket s = server.socket()) {
                assertThat(client.unreadTlsData()).isEmpty();
                assertThat(server.unreadTlsData()).isEmpty();
                assertThat(c.sockname()).isEqualTo(s.peername()); // the same TCP connection
                assertThat(c.peername()).isEqualTo(s.sockname());

                byte[] up = new byte[300_000]; // more than the socket buffers: TCP pushes back on the sender
                new Pattern(1).fill(up, 0, up.length, 0);
                byte[] down = new byte[200_000];
                new Pattern(2).fill(down, 0, down.length, 0);
                CompletableFuture<byte[]> serverGot = CompletableFuture.supplyAsync(() -> {
                    try {
                        byte[] got = readPlain(server, up.length);
                        s.send(down);
                        return got;
                    } catch (SslException e) {
                        throw new RuntimeException(e);
                    }
                });
                c.send(up);
                assertThat(readPlain(client, down.length)).isEqualTo(down);
                assertThat(serverGot.get(10, TimeUnit.SECONDS)).isEqualTo(up);

                c.close();
                assertThat(reasonOf(() -> s.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            }
            // the TLS sockets are closed for every call
            assertThat(reasonOf(() -> pair.client().send("x"))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.server().connectionInfo())).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> pair.server().downgrade(WAIT))).isEqualTo(Reason.CLOSED);
        }
    }

    @Test
    void anActiveOwnerGetsItsDataAndNothingAfterTheDowngrade() throws Exception {
        Mailbox owner = new Mailbox();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.JDK).set(Opt.EXIT_ON_CLOSE, false).build(),
                PKI.clientOptions(Provider.JDK).owner(owner).set(Opt.ACTIVE, Active.TRUE).build())) {
            pair.server().send("over tls");
            SslMessage m = owner.receive(WAIT).orElseThrow();
            assertThat(m).isInstanceOf(SslMessage.Data.class);
            assertThat(text((byte[]) ((SslMessage.Data) m).data())).isEqualTo("over tls");
            // An active socket always has a read outstanding: the peer's close_notify would be read (and, with
            // exit_on_close, end the connection) before its own downgrade. So the active side goes first, and the
            // server, passive, sees the close and then downgrades (OTP's T3 test uses passive sockets).
            CompletableFuture<Downgraded> clientSide = downgradeAsync(pair.client());
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            Downgraded server = pair.server().downgrade(WAIT);
            Downgraded client = clientSide.get(10, TimeUnit.SECONDS);
            try (PlainSocket c = client.socket(); PlainSocket s = server.socket()) {
                s.send("plain");
                assertThat(text(readPlain(client, 5))).isEqualTo("plain");
                // No Closed, no Data: the plain connection sends no messages, and the TLS socket's end was the
                // owner's own doing. Anything sent would have been delivered before downgrade returned.
                assertThat(owner.size()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aPeerThatDoesNotAnswerCloseNotifyEndsInATimeoutAndACloseAsOtp(Provider p, Protocol v) throws Exception {
        try (Pair pair = pair(p, v)) {
            echo(pair); // now the server reads nothing more: it never sees our close_notify, never answers
            long start = System.nanoTime();
            assertThat(reasonOf(() -> pair.client().downgrade(Timeout.millis(300)))).isEqualTo(Reason.TIMEOUT);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(250L, 5_000L);
            assertThat(reasonOf(() -> pair.client().send("x"))).isEqualTo(Reason.CLOSED);
            // the connection is gone: the server's next read ends
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void bytesRightAfterThePeersCloseNotifyArriveAsFirstBytesAndTlsDataUnreadIsReturned(Provider p, Protocol v)
            throws Exception {
        try (Pair pair = pair(p, v)) {
            echo(pair);
            pair.server().send("tls tail");
            assertThat(text(pair.client().recv(3, WAIT))).isEqualTo("tls"); // " tail" stays unread in the queue
            pair.server().send(" and more"); // read only by the downgrade, before the close_notify
            // The server writes its close_notify and, in the same breath, plain bytes: the client reads them all in
            // one go, so the plain bytes sit behind the close_notify in the client's SslHandler.
            Channel ch = ((NettySslSocket) pair.server()).channel();
            SslHandler serverSsl = ch.pipeline().get(SslHandler.class);
            Await.get(serverSsl.closeOutbound(), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            ch.eventLoop().submit(() -> {
                ch.pipeline().addFirst("raw", new ChannelOutboundHandlerAdapter()); // writes from here skip TLS
                ChannelHandlerContext raw = ch.pipeline().context("raw");
                return raw.writeAndFlush(Unpooled.copiedBuffer("plain right after close_notify",
                        StandardCharsets.UTF_8));
            }).get(10, TimeUnit.SECONDS).sync();

            Downgraded d = pair.client().downgrade(WAIT);
            try (PlainSocket plain = d.socket()) {
                assertThat(text(d.unreadTlsData())).isEqualTo(" tail and more");
                assertThat(text(d.firstBytes())).isEqualTo("plain right after close_notify");
                // the client answers in plain at once: on the server side it may share a read with the client's
                // close_notify, which the server's own downgrade (close_notify already sent) now waits for
                plain.send("plain reply");
                Downgraded s = pair.server().downgrade(WAIT);
                try (PlainSocket serverPlain = s.socket()) {
                    assertThat(text(readPlain(s, 11))).isEqualTo("plain reply");
                    assertThat(s.unreadTlsData()).isEmpty();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void whenThePeersCloseNotifyCameFirstOnlyExitOnCloseFalseKeepsTheConnection(Provider p, Protocol v)
            throws Exception {
        for (boolean exitOnClose : new boolean[] {false, true}) {
            try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(),
                    PKI.clientOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, exitOnClose).build())) {
                echo(pair);
                CompletableFuture<Downgraded> serverSide = downgradeAsync(pair.server());
                // the client reads the server's close_notify before it asks for the downgrade
                assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
                if (exitOnClose) {
                    // OTP's default: the peer's close_notify ended the connection, nothing is left to downgrade;
                    // closing, the client sent its close_notify: the server's downgrade gets a closed plain stream
                    assertThat(reasonOf(() -> pair.client().downgrade(WAIT))).isEqualTo(Reason.CLOSED);
                    try (PlainSocket s = serverSide.get(10, TimeUnit.SECONDS).socket()) {
                        assertThat(reasonOf(() -> s.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
                    }
                    continue;
                }
                Downgraded client = pair.client().downgrade(WAIT);
                Downgraded server = serverSide.get(10, TimeUnit.SECONDS);
                try (PlainSocket c = client.socket(); PlainSocket s = server.socket()) {
                    s.send("server first");
                    assertThat(text(readPlain(client, 12))).isEqualTo("server first");
                    c.send("then the client");
                    assertThat(text(readPlain(server, 15))).isEqualTo("then the client");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aPeerThatClosesTcpWithoutCloseNotifyEndsTheDowngradeWithClosedAtOnce(Provider p, Protocol v)
            throws Exception {
        try (Pair pair = pair(p, v)) {
            echo(pair);
            Channel ch = ((NettySslSocket) pair.server()).channel();
            CompletableFuture<Reason> client = CompletableFuture.supplyAsync(
                    () -> reasonOf(() -> pair.client().downgrade(WAIT)));
            ch.eventLoop().submit(() -> {
                ch.pipeline().remove(SslHandler.class); // no close_notify: a bare FIN
                return ch.close();
            }).get(10, TimeUnit.SECONDS).sync();
            long start = System.nanoTime();
            assertThat(client.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @Test
    void aNettyProgramTakesTheBareChannelWithTheBytesThePlainViewHadRead() throws Exception {
        try (Pair pair = pair(Provider.OPENSSL, Protocol.TLS_V1_3)) {
            echo(pair);
            CompletableFuture<Downgraded> serverSide = downgradeAsync(pair.server());
            try (PlainSocket client = pair.client().downgrade(WAIT).socket()) {
                Downgraded server = serverSide.get(10, TimeUnit.SECONDS);
                client.send("abcdef");
                assertThat(server.firstBytes()).isEmpty(); // the client sent nothing before both had finished
                assertThat(text(server.socket().recv(2, WAIT))).isEqualTo("ab"); // "cdef" stays in the queue
                NettyPlainSocket view = (NettyPlainSocket) server.socket();
                LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
                view.channel().pipeline().addLast("mine", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        try {
                            got.add(b.toString(StandardCharsets.UTF_8));
                        } finally {
                            b.release();
                        }
                    }
                });
                Channel ch = view.detach();
                assertThat(reasonOf(() -> view.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
                assertThat(ch.pipeline().names()).doesNotContain("plain", "plain-bridge", "ssl", "active");
                assertThat(ch.config().isAutoRead()).isFalse();
                client.send("gh");
                StringBuilder all = new StringBuilder();
                while (all.length() < 6) {
                    ch.read(); // the channel is the program's now: it asks for reads itself
                    String s = got.poll(10, TimeUnit.SECONDS);
                    assertThat(s).isNotNull();
                    all.append(s);
                }
                assertThat(all).hasToString("cdefgh");
                ch.close().sync();
            }
        }
    }

    @Test
    void aClosedSocketSaysClosedAndOneNotHandshakenEinval() throws Exception {
        try (Pair pair = pair(Provider.JDK, Protocol.TLS_V1_3)) {
            pair.client().close();
            assertThat(reasonOf(() -> pair.client().downgrade(WAIT))).isEqualTo(Reason.CLOSED);
        }
        SslOptions server = PKI.serverOptions(Provider.JDK).build();
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<Reason> client = CompletableFuture.supplyAsync(() -> reasonOf(() -> ssl.connect(
                    "localhost", listen.port(), PKI.clientOptions(Provider.JDK).build(), Timeout.millis(500))));
            try (SslSocket accepted = listen.transportAccept(WAIT)) {
                assertThat(reasonOf(() -> accepted.downgrade(WAIT))).isEqualTo(Reason.EINVAL);
            }
            assertThat(client.get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void stoppingTheRuntimeClosesThePlainConnections() throws Exception {
        Ssl own = Ssl.start();
        try {
            Pair pair = Loopback.connect(own, PKI.serverOptions(Provider.OPENSSL).build(),
                    PKI.clientOptions(Provider.OPENSSL).build());
            echo(pair);
            CompletableFuture<Downgraded> serverSide = downgradeAsync(pair.server());
            NettyPlainSocket client = (NettyPlainSocket) pair.client().downgrade(WAIT).socket();
            NettyPlainSocket server = (NettyPlainSocket) serverSide.get(10, TimeUnit.SECONDS).socket();
            assertThat(client.channel().isActive()).isTrue();
            own.stop();
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reasonOf(() -> client.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> server.send("x"))).isEqualTo(Reason.CLOSED);
        } finally {
            own.stop();
        }
    }
}
