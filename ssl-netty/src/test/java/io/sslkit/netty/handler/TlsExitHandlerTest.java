package io.sslkit.netty.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.netty.testing.TestPki;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TlsExitHandler} over two {@link EmbeddedChannel}s wired by hand, so that exactly what arrives in one read is
 * under the test's control: TLS data, the close_notify and plain bytes in one buffer.
 */
class TlsExitHandlerTest {

    private static final TestPki PKI = TestPki.ec();

    private EmbeddedChannel client;
    private EmbeddedChannel server;

    private void connect(Provider p, Protocol v) throws Exception {
        SslProvider provider = p == Provider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
        SslContext serverCtx = SslContextBuilder.forServer(PKI.server.privateKey(), PKI.server.certificate())
                .sslProvider(provider).protocols(v.javaName()).build();
        SslContext clientCtx = SslContextBuilder.forClient().trustManager(PKI.root.certificate())
                .sslProvider(provider).protocols(v.javaName()).endpointIdentificationAlgorithm(null).build();
        server = new EmbeddedChannel(serverCtx.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        client = new EmbeddedChannel(clientCtx.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        SslHandler c = client.pipeline().get(SslHandler.class);
        SslHandler s = server.pipeline().get(SslHandler.class);
        for (int i = 0; i < 50 && !(c.handshakeFuture().isDone() && s.handshakeFuture().isDone()); i++) {
            shuttle(client, server);
            shuttle(server, client);
        }
        assertThat(c.handshakeFuture().isSuccess()).isTrue();
        assertThat(s.handshakeFuture().isSuccess()).isTrue();
        shuttle(server, client); // TLS 1.3 tickets
        drainInbound(client);
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            to.writeInbound(b);
        }
    }

    private static ByteBuf outbound(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }

    private static void drainInbound(EmbeddedChannel ch) {
        Object m;
        while ((m = ch.readInbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(m);
        }
    }

    private void finish() {
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    /** Adds the exit after the client's SslHandler, sends the client's close_notify and starts the exit. */
    private Future<TlsExitHandler.Result> startExit() {
        SslHandler ssl = client.pipeline().get(SslHandler.class);
        TlsExitHandler exit = new TlsExitHandler(ssl);
        client.pipeline().addAfter(client.pipeline().context(ssl).name(), "tls-exit", exit);
        ssl.closeOutbound();
        outbound(client).release(); // our close_notify: the server need not see it here
        Future<TlsExitHandler.Result> f = exit.start();
        client.runPendingTasks();
        return f;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.sslkit.netty.testing.RuntimeTest#engines")
    void dataCloseNotifyAndPlainBytesInOneReadAreSplitAtTheCloseNotify(Provider p, Protocol v) throws Exception {
        connect(p, v);
        try {
            Future<TlsExitHandler.Result> f = startExit();
            server.writeAndFlush(Unpooled.copiedBuffer("under tls", StandardCharsets.UTF_8));
            server.pipeline().get(SslHandler.class).closeOutbound();
            server.runPendingTasks();
            ByteBuf wire = outbound(server);
            wire.writeBytes("and then plain".getBytes(StandardCharsets.UTF_8));

            client.writeInbound(wire); // one read: data record, close_notify, plain bytes
            client.runPendingTasks();

            assertThat(f.isSuccess()).as("%s", f.cause()).isTrue();
            assertThat(new String(f.getNow().tlsData(), StandardCharsets.UTF_8)).isEqualTo("under tls");
            assertThat(new String(f.getNow().firstBytes(), StandardCharsets.UTF_8)).isEqualTo("and then plain");
            assertThat(client.pipeline().get(SslHandler.class)).isNull(); // gone: later bytes pass as they are
            assertThat(client.inboundMessages()).isEmpty(); // nothing went past the exit
        } finally {
            finish();
        }
    }

    @Test
    void aFinWithoutCloseNotifyFailsTheExitAndReleasesWhatItHeld() throws Exception {
        connect(Provider.JDK, Protocol.TLS_V1_3);
        try {
            Future<TlsExitHandler.Result> f = startExit();
            server.writeAndFlush(Unpooled.copiedBuffer("held", StandardCharsets.UTF_8));
            client.writeInbound(outbound(server));
            assertThat(f.isDone()).isFalse(); // data, but no close_notify yet
            client.pipeline().fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
            assertThat(f.cause()).isInstanceOf(ClosedChannelException.class);
        } finally {
            finish(); // the leak detector (paranoid) checks that "held" was released
        }
    }
}
