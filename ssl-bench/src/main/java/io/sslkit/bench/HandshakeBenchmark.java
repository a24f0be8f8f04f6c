package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * TLS handshakes per second, client and server in one JVM over loopback TCP. One operation is a whole connection:
 * TCP connect, the client's handshake, close (close_notify, FIN) — while the server side accepts, handshakes and
 * closes on its own threads. {@link Threads} client threads keep that many handshakes in flight, enough to keep both
 * cores busy.
 *
 * <p><b>Full vs resumed.</b> sslkit has no {@code reuse_sessions} option yet, and its client contexts cache sessions
 * by host and port (Netty's client session caches): with default options a loop of connects to one server resumes
 * (JDK: TLS 1.2 and 1.3; BoringSSL: TLS 1.2). {@code resume=false} therefore connects with
 * {@code {server_name_indication, disable}} — no SNI, no host-name check, the chain is still verified, and the
 * engine gets no peer host to key a session on — and the raw baseline does the same ({@code newHandler(alloc)},
 * no endpoint identification). {@code resume=true} uses the defaults (SNI {@code localhost}, host checked, sessions
 * cached), i.e. whatever resumption the engine does on its own; nothing counts how many were resumed.
 *
 * <ul>
 *   <li>{@code sslkit}: {@code Ssl.connect} then {@code close}; the server runs {@code transportAccept},
 *   {@code handshake}, {@code close} on one thread per client thread.</li>
 *   <li>{@code raw}: {@code Bootstrap.connect}, wait for {@code SslHandler.handshakeFuture()}, {@code close}; the
 *   server pipeline closes the connection when its handshake completes.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@Threads(4)
@State(Scope.Benchmark)
public class HandshakeBenchmark {

    @Param({"sslkit", "raw"})
    public String impl;

    @Param({"OPENSSL", "JDK"})
    public Provider provider;

    @Param({"TLS_V1_3", "TLS_V1_2"})
    public Protocol version;

    @Param({"EC_P256", "RSA_2048"})
    public KeyType key;

    @Param({"false"})
    public boolean resume;

    private Side side;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) throws Exception {
        KeyType.Pair cert = key.pair();
        side = switch (impl) {
            case "sslkit" -> new SslkitSide(provider, version, cert, resume, params.getThreads());
            case "raw" -> new RawSide(provider, version, cert, resume);
            default -> throw new IllegalArgumentException("impl " + impl);
        };
    }

    @TearDown(Level.Trial)
    public void stop() {
        side.close();
    }

    @Benchmark
    public void handshake() throws Exception {
        side.connectAndClose();
    }

    interface Side extends AutoCloseable {
        void connectAndClose() throws Exception;

        @Override
        void close();
    }

    static final class SslkitSide implements Side {
        private final Ssl ssl = Ssl.start();
        private final SslListenSocket listen;
        private final SslOptions clientOptions;
        private final int port;
        private final Workers acceptors = new Workers(null);

        SslkitSide(Provider provider, Protocol version, KeyType.Pair cert, boolean resume, int clients)
                throws SslException {
            SslOptions.Builder c = SslkitEnds.clientOptions(provider, version, cert);
            if (!resume) {
                c.disableServerNameIndication();
            }
            clientOptions = c.build();
            listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert));
            port = listen.port();
            for (int i = 0; i < clients; i++) {
                acceptors.loop("acceptor-" + i, () -> {
                    SslSocket s = listen.transportAccept();
                    try {
                        s.handshake(Timeout.millis(10_000));
                    } catch (SslException e) {
                        if (acceptors.running()) {
                            System.err.println("server handshake: " + e.getMessage());
                        }
                    } finally {
                        s.close();
                    }
                });
            }
            int resumed = 0;
            for (int i = 0; i < 3; i++) {
                try (SslSocket s = ssl.connect("localhost", port, clientOptions, Timeout.millis(10_000))) {
                    resumed += s.connectionInfo().sessionResumed() ? 1 : 0;
                }
            }
            checkResumption("sslkit", resume, resumed);
        }

        @Override
        public void connectAndClose() throws SslException {
            SslSocket s = ssl.connect("localhost", port, clientOptions, Timeout.millis(10_000));
            s.close();
        }

        @Override
        public void close() {
            acceptors.shutdown(listen::close, ssl::stop);
        }
    }

    static final class RawSide implements Side {
        private static final AttributeKey<SslHandler> TLS = AttributeKey.valueOf("bench.tls");
        private final RawNetty netty = RawNetty.start();
        private final Channel server;
        private final Bootstrap client;
        private final InetSocketAddress address;

        RawSide(Provider provider, Protocol version, KeyType.Pair cert, boolean resume) throws Exception {
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, resume);
            server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new CloseWhenDone()));
            int port = RawNetty.port(server);
            address = new InetSocketAddress("localhost", port);
            client = netty.client(ch -> {
                SslHandler h = resume ? clientContext.newHandler(ch.alloc(), "localhost", port)
                        : clientContext.newHandler(ch.alloc());
                ch.attr(TLS).set(h); // the pipeline empties when the channel closes
                ch.pipeline().addLast(h);
            });
            verify(resume);
        }

        /** Three connections, counting the resumed ones (asked of the engine on its event loop). */
        private void verify(boolean resume) throws Exception {
            int resumed = 0;
            for (int i = 0; i < 3; i++) {
                long start = System.currentTimeMillis();
                Channel ch = client.connect(address).sync().channel();
                SslHandler h = ch.attr(TLS).get();
                h.handshakeFuture().sync();
                resumed += ch.eventLoop().submit(() -> Resumed.of(h.engine(), start)).get() ? 1 : 0;
                ch.close().sync();
            }
            checkResumption("raw", resume, resumed);
        }

        @Override
        public void connectAndClose() throws Exception {
            Channel ch = client.connect(address).sync().channel();
            try {
                ch.attr(TLS).get().handshakeFuture().sync();
            } finally {
                ch.close().sync();
            }
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
            netty.close();
        }
    }

    /**
     * Fails the trial if a "full handshake" run resumed sessions (it would measure the wrong thing); reports the
     * share of resumed handshakes of a resumable run.
     */
    static void checkResumption(String impl, boolean resume, int resumedOfThree) {
        if (!resume && resumedOfThree > 0) {
            throw new IllegalStateException(impl + ": " + resumedOfThree + " of 3 handshakes resumed a session; "
                    + "this benchmark must measure full handshakes");
        }
        System.out.println(impl + ": " + resumedOfThree + " of 3 probe handshakes resumed a session");
    }

    /** Server side of the raw baseline: closes (close_notify, FIN) once its handshake is done, as sslkit's does. */
    static final class CloseWhenDone extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
