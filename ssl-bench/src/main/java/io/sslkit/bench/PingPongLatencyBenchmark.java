package io.sslkit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency of a small message (ping-pong, {@code size} bytes) on one established TLS connection, sampled
 * per operation (JMH SampleTime: the JSON has the median and the 99th percentile).
 *
 * <ul>
 *   <li>{@code raw}: the benchmark thread writes and flushes to the client channel, the server pipeline echoes from
 *   its event loop, the client pipeline wakes the benchmark thread when {@code size} bytes are back.</li>
 *   <li>{@code recv}: sslkit, passive on both ends: {@code send} then {@code recv(size)}; the server is a thread in a
 *   {@code recv(0)} / {@code send} loop.</li>
 *   <li>{@code once}: as {@code recv}, but the client receives with {@code {active, once}} into a {@link Mailbox} and
 *   re-arms with {@code setopts} (the Erlang idiom).</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class PingPongLatencyBenchmark {

    @Param({"raw", "recv", "once"})
    public String impl;

    @Param({"OPENSSL", "JDK"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    @Param({"64"})
    public int size;

    private Pinger pinger;

    @Setup(Level.Trial)
    public void start() throws Exception {
        KeyType.Pair cert = KeyType.EC_P256.pair();
        pinger = impl.equals("raw") ? new RawPinger(provider, version, cert, size)
                : new SslkitPinger(provider, version, cert, size, impl.equals("once"));
    }

    @TearDown(Level.Trial)
    public void stop() {
        pinger.close();
    }

    @Benchmark
    public void roundTrip() throws Exception {
        pinger.ping();
    }

    interface Pinger extends AutoCloseable {
        void ping() throws Exception;

        @Override
        void close();
    }

    static final class SslkitPinger implements Pinger {
        /** A benchmark that breaks fails rather than hangs. */
        private static final Timeout WAIT = Timeout.millis(30_000);
        private final Ssl ssl = Ssl.start();
        private final Workers echo = new Workers(null);
        private final SslSocket client;
        private final byte[] message;
        private final Mailbox mailbox;

        SslkitPinger(Provider provider, Protocol version, KeyType.Pair cert, int size, boolean once)
                throws Exception {
            message = new byte[size];
            SslOptions.Builder c = SslkitEnds.clientOptions(provider, version, cert);
            mailbox = once ? new Mailbox() : null;
            if (once) {
                c.owner(mailbox).active(Active.ONCE);
            }
            SslSocket server;
            try (SslListenSocket listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert))) {
                SslkitEnds.Connection connection = SslkitEnds.connect(ssl, listen, c.build());
                client = connection.client();
                server = connection.server();
            }
            echo.loop("echo", () -> server.send(server.recv(0)));
        }

        @Override
        public void ping() throws Exception {
            client.send(message);
            if (mailbox == null) {
                client.recv(message.length); // no timeout: one would schedule a timer per call
                return;
            }
            int got = 0;
            while (true) {
                SslMessage m = mailbox.receive(WAIT).orElseThrow(() -> new IllegalStateException("no echo"));
                if (!(m instanceof SslMessage.Data d)) {
                    throw new IllegalStateException("unexpected " + m);
                }
                got += d.size();
                client.setopts(Opt.ACTIVE.of(Active.ONCE));
                if (got >= message.length) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            echo.shutdown(ssl::stop);
        }
    }

    static final class RawPinger implements Pinger {
        private final RawNetty netty = RawNetty.start();
        private final Channel server;
        private final Channel client;
        private final Collector collector;
        private final byte[] message;

        RawPinger(Provider provider, Protocol version, KeyType.Pair cert, int size) throws Exception {
            message = new byte[size];
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new Echo()));
            int port = RawNetty.port(server);
            collector = new Collector();
            client = RawNetty.handshaken(netty.client(ch -> ch.pipeline().addLast(
                    clientContext.newHandler(ch.alloc(), "localhost", port), collector)).connect("localhost", port));
        }

        @Override
        public void ping() throws Exception {
            collector.expect(message.length);
            client.writeAndFlush(client.alloc().directBuffer(message.length).writeBytes(message),
                    client.voidPromise());
            collector.await();
        }

        @Override
        public void close() {
            client.close().syncUninterruptibly();
            server.close().syncUninterruptibly();
            netty.close();
        }
    }

    /** Server side of the raw baseline: writes back what it gets, from the event loop. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg, ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Client side of the raw baseline: counts echoed bytes and wakes the waiting thread when all are back. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        private volatile Thread waiter;
        private volatile int missing;
        private volatile Throwable failure;

        @Override
        public boolean isSharable() {
            return true;
        }

        void expect(int bytes) {
            waiter = Thread.currentThread();
            missing = bytes;
        }

        void await() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (missing > 0) {
                if (failure != null) {
                    throw new IllegalStateException(failure);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no echo");
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int left = missing - buf.readableBytes();
            buf.release();
            missing = left;
            if (left <= 0) {
                LockSupport.unpark(waiter);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            LockSupport.unpark(waiter);
            ctx.close();
        }
    }
}
