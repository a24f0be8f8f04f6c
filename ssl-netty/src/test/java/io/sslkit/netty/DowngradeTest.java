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
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS downgrade, {@code ssl:close(S, {NewOwner, Timeout})} ({@code ERLANG-SSL.md} scenario 13, T3 tls_downgrade).
 *
 * <p>A socket that has been read from reads ahead (up to 128 KiB, as OTP's {@code {active, N}} inside ssl), so it
 * takes in the peer's close_notify as soon as it comes. So the tests follow the order a protocol needs (see
 * {@link SslSocket#downgrade}): the client downgrades first; the server, with {@code exit_on_close false}, waits
 * for the client's close_notify (a {@code recv} that says {@code closed}) and then downgrades; and the server
 * speaks first in plain, since the client may have finished before the server's TLS handlers are gone.
 */
class DowngradeTest extends RuntimeTest {

    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki PKI = TestPki.ec();

    /** A pair whose server is the side that downgrades second ({@code exit_on_close false}). */
    private static Pair pair(Provider p, Protocol v) throws Exception {
        return Loopback.connect(ssl, PKI.serverOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, false).build(),
                PKI.clientOptions(p).versions(v).build());
    }

    /** The client downgrades, then the server once the client's close_notify came: {client, server}. */
    private static Downgraded[] downgradeBoth(Pair pair) throws Exception {
        CompletableFuture<Downgraded> client = downgradeAsync(pair.client());
        Downgraded server = downgradeAfterPeer(pair.server());
        return new Downgraded[] {client.get(10, TimeUnit.SECONDS), server};
    }

    /** The second side: the peer's close_notify ends its TLS stream ({@code closed}), then it downgrades. */
    private static Downgraded downgradeAfterPeer(SslSocket s) throws SslException {
        assertThat(reasonOf(() -> s.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
        return s.downgrade(WAIT);
    }

    /** An echo in both directions. */
    private static void echo(Pair pair) throws Exception {
        pair.client().send("hello");
        byte[] got = pair.server().recv(5, WAIT);
        pair.server().send(got);
        assertThat(text(pair.client().recv(5, WAIT))).isEqualTo("hello");
    }

    private static CompletableFuture<Downgraded> downgradeAsync(SslSocket s) {
        return Async.supply(() -> {
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
            Downgraded[] both = downgradeBoth(pair);
            Downgraded client = both[0];
            Downgraded server = both[1];
            try (PlainSocket c = client.socket(); PlainSocket s = server.socket()) {
                assertThat(client.unreadTlsData()).isEmpty();
                assertThat(server.unreadTlsData()).isEmpty();
                assertThat(c.sockname()).isEqualTo(s.peername()); // the same TCP connection
                assertThat(c.peername()).isEqualTo(s.sockname());

                byte[] down = new byte[300_000]; // more than the socket buffers: TCP pushes back on the sender
                new Pattern(2).fill(down, 0, down.length, 0);
                byte[] up = new byte[200_000];
                new Pattern(1).fill(up, 0, up.length, 0);
                CompletableFuture<byte[]> clientGot = Async.supply(() -> {
                    try {
                        byte[] got = readPlain(client, down.length);
                        c.send(up);
                        return got;
                    } catch (SslException e) {
                        throw new RuntimeException(e);
                    }
                });
                s.send(down);
                assertThat(readPlain(server, up.length)).isEqualTo(up);
                assertThat(clientGot.get(10, TimeUnit.SECONDS)).isEqualTo(down);

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

    /**
     * A blocking JDK {@code SSLSocket} server over a plain socket: it reads only when told to, so it never answers
     * a close_notify on its own (an sslkit or OTP peer that has been read from reads ahead and would).
     */
    private static final class BlockingPeer implements AutoCloseable {
        final ServerSocket listen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket raw;
        SSLSocket tls;

        BlockingPeer() throws IOException {
        }

        /** Connects an sslkit client and echoes "hello" over TLS. */
        SslSocket connectAndEcho(Provider p, Protocol v) throws Exception {
            CompletableFuture<SSLSocket> accepted = Async.supply(() -> {
                try {
                    raw = listen.accept();
                    SSLSocket t = (SSLSocket) serverContext().getSocketFactory().createSocket(raw, null,
                            raw.getPort(), false);
                    t.setUseClientMode(false);
                    t.setEnabledProtocols(new String[] {v.javaName()});
                    t.startHandshake();
                    return t;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SslSocket client = ssl.connect("localhost", listen.getLocalPort(),
                    PKI.clientOptions(p).versions(v).build(), WAIT);
            tls = accepted.get(10, TimeUnit.SECONDS);
            client.send("hello");
            tls.getOutputStream().write(tls.getInputStream().readNBytes(5));
            tls.getOutputStream().flush();
            assertThat(text(client.recv(5, WAIT))).isEqualTo("hello");
            return client;
        }

        private static SSLContext serverContext() throws Exception {
            char[] pw = "changeit".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", PKI.server.privateKey(), pw,
                    new Certificate[] {PKI.server.certificate(), PKI.root.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        }

        @Override
        public void close() throws IOException {
            if (raw != null) {
                raw.close();
            }
            listen.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aPeerThatDoesNotAnswerCloseNotifyEndsInATimeoutAndACloseAsOtp(Provider p, Protocol v) throws Exception {
        try (BlockingPeer peer = new BlockingPeer(); SslSocket client = peer.connectAndEcho(p, v)) {
            long start = System.nanoTime();
            assertThat(reasonOf(() -> client.downgrade(Timeout.millis(300)))).isEqualTo(Reason.TIMEOUT);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).isBetween(250L, 5_000L);
            assertThat(reasonOf(() -> client.send("x"))).isEqualTo(Reason.CLOSED);
            // the connection is gone: the peer reads our close_notify, then the end of the stream
            assertThat(peer.tls.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aPeerThatClosesTcpWithoutCloseNotifyEndsTheDowngradeWithClosedAtOnce(Provider p, Protocol v)
            throws Exception {
        try (BlockingPeer peer = new BlockingPeer(); SslSocket client = peer.connectAndEcho(p, v)) {
            CompletableFuture<Reason> downgrade = Async.supply(
                    () -> reasonOf(() -> client.downgrade(WAIT)));
            peer.raw.close(); // no close_notify: a bare FIN (or a reset, if our close_notify is unread)
            long start = System.nanoTime();
            assertThat(downgrade.get(10, TimeUnit.SECONDS)).isEqualTo(Reason.CLOSED);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void plainBytesRightBehindThePeersCloseNotifyAreKeptAndUnreadTlsDataIsReturned(Provider p, Protocol v)
            throws Exception {
        try (Pair pair = pair(p, v)) {
            echo(pair);
            pair.server().send("tls tail");
            assertThat(text(pair.client().recv(3, WAIT))).isEqualTo("tls"); // " tail" stays unread in the queue
            pair.server().send(" and more");
            CompletableFuture<Downgraded> clientSide = downgradeAsync(pair.client());
            assertThat(reasonOf(() -> pair.server().recv(0, WAIT))).isEqualTo(Reason.CLOSED);
            // The server writes its close_notify (unless its engine already answered) and, in the same breath,
            // plain bytes, below its TLS handler: they reach the client right behind the close_notify, often in
            // the same read (the path through SslHandler's leftover; TlsExitHandlerTest pins that one down).
            Channel ch = ((NettySslSocket) pair.server()).channel();
            SslHandler serverSsl = ch.pipeline().get(SslHandler.class);
            ch.eventLoop().submit(() -> {
                serverSsl.closeOutbound();
                ch.pipeline().addFirst("raw", new ChannelOutboundHandlerAdapter()); // writes from here skip TLS
                ChannelHandlerContext raw = ch.pipeline().context("raw");
                return raw.writeAndFlush(Unpooled.copiedBuffer("plain right after close_notify",
                        StandardCharsets.UTF_8));
            }).get(10, TimeUnit.SECONDS).sync();
            Downgraded server = pair.server().downgrade(WAIT);
            ch.eventLoop().submit(() -> ch.pipeline().remove("raw")).get(10, TimeUnit.SECONDS);

            Downgraded client = clientSide.get(10, TimeUnit.SECONDS);
            try (PlainSocket c = client.socket(); PlainSocket s = server.socket()) {
                assertThat(text(client.unreadTlsData())).isEqualTo(" tail and more");
                assertThat(text(readPlain(client, 30))).isEqualTo("plain right after close_notify");
                c.send("plain reply");
                assertThat(text(readPlain(server, 11))).isEqualTo("plain reply");
                assertThat(server.unreadTlsData()).isEmpty();
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

    @Test
    void aNettyProgramTakesTheBareChannelWithTheBytesThePlainViewHadRead() throws Exception {
        try (Pair pair = pair(Provider.OPENSSL, Protocol.TLS_V1_3)) {
            echo(pair);
            Downgraded[] both = downgradeBoth(pair);
            try (PlainSocket client = both[0].socket()) {
                Downgraded server = both[1];
                client.send("abcdef");
                assertThat(server.firstBytes()).isEmpty(); // the server had finished before the client sent
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
            CompletableFuture<Reason> client = Async.supply(() -> reasonOf(() -> ssl.connect(
                    "localhost", listen.port(), PKI.clientOptions(Provider.JDK).build(), Timeout.millis(500))));
            try (SslSocket accepted = listen.transportAccept(WAIT)) {
                assertThat(reasonOf(() -> accepted.downgrade(WAIT))).isEqualTo(Reason.EINVAL);
            }
            assertThat(client.get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void stoppingTheRuntimeClosesThePlainConnectionsDetachedOrNot() throws Exception {
        Ssl own = Ssl.start();
        try {
            Pair pair = Loopback.connect(own, PKI.serverOptions(Provider.OPENSSL).set(Opt.EXIT_ON_CLOSE, false)
                    .build(), PKI.clientOptions(Provider.OPENSSL).build());
            echo(pair);
            Downgraded[] both = downgradeBoth(pair);
            NettyPlainSocket client = (NettyPlainSocket) both[0].socket();
            Channel server = ((NettyPlainSocket) both[1].socket()).detach();
            assertThat(client.channel().isActive()).isTrue();
            own.stop();
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(reasonOf(() -> client.recv(0, WAIT))).isEqualTo(Reason.CLOSED);
        } finally {
            own.stop();
        }
    }
}
