package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sslkit.Mailbox;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk one-way throughput over loopback TLS, in MB/s (10^6 bytes): the score is the receivers' rate.
 *
 * <p>{@code connections} client→server connections stream all the time, each from its own sender, while the
 * benchmark thread only waits for the next {@value #BYTES_PER_OP} received bytes (see {@link Progress}); so the
 * figure is the steady-state rate, with TCP back-pressure between sender and receiver, and no start/stop per
 * operation.
 *
 * <p>{@code receiver} picks the implementation and, for sslkit, how the server side reads:
 * <ul>
 *   <li>{@code raw}: the baseline. A hand-built pipeline {@code SslHandler → sink} (autoRead, the sink counts and
 *   releases); the client writes {@code writeSize} direct buffers from the event loop while the channel is writable
 *   and flushes once per batch — the idiomatic Netty bulk writer.</li>
 *   <li>{@code recv0}: sslkit, passive, a thread per connection in a {@code recv(0)} loop.</li>
 *   <li>{@code zerocopy}: sslkit, passive, {@code recv(ByteBuffer)} into one direct buffer per connection.</li>
 *   <li>{@code once}: sslkit, {@code {active, once}} to a {@link Mailbox}, a thread per connection that receives one
 *   message and re-arms with {@code setopts(active, once)}: the Erlang idiom.</li>
 *   <li>{@code true}: sslkit, {@code {active, true}} to a {@link Mailbox}, a thread per connection receiving.</li>
 *   <li>{@code callback}: sslkit, {@code {active, true}} to a callback owner that counts on the event loop (no
 *   receiving thread).</li>
 * </ul>
 * sslkit clients send with {@code send(ByteBuffer)} of a heap buffer of {@code writeSize} bytes in a loop, one
 * thread per connection.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BulkThroughputBenchmark.MB_PER_OP)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class BulkThroughputBenchmark {

    /** Megabytes (10^6 bytes) per benchmark operation; the score is MB/s. */
    public static final int MB_PER_OP = 4;
    public static final int BYTES_PER_OP = MB_PER_OP * 1_000_000;

    @Param({"raw", "recv0", "zerocopy", "once", "true", "callback"})
    public String receiver;

    @Param({"OPENSSL", "JDK"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    @Param({"1024", "16384", "262144"})
    public int writeSize;

    @Param({"1", "4"})
    public int connections;

    private final Progress progress = new Progress();
    private AutoCloseable stream;

    @Setup(Level.Trial)
    public void start() throws Exception {
        KeyType.Pair cert = KeyType.EC_P256.pair();
        stream = receiver.equals("raw")
                ? new RawStream(provider, version, cert, writeSize, connections, progress)
                : new SslkitStream(provider, version, cert, writeSize, connections, receiver, progress);
    }

    @Setup(Level.Iteration)
    public void resync() {
        progress.resync();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        stream.close();
    }

    @Benchmark
    public void transfer() throws Exception {
        progress.awaitNext(BYTES_PER_OP);
    }

    /** sslkit on both ends. */
    static final class SslkitStream implements AutoCloseable {
        private final Ssl ssl = Ssl.start();
        private final Workers workers;
        private final List<SslSocket> sockets = new ArrayList<>();

        SslkitStream(Provider provider, Protocol version, KeyType.Pair cert, int writeSize, int connections,
                     String receiver, Progress progress) throws Exception {
            workers = new Workers(progress);
            SslOptions clientOptions = SslkitEnds.clientOptions(provider, version, cert).build();
            try (SslListenSocket listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert))) {
                for (int i = 0; i < connections; i++) {
                    SslkitEnds.Connection c = SslkitEnds.connect(ssl, listen, clientOptions);
                    SslSocket client = c.client();
                    sockets.add(client);
                    sockets.add(c.server());
                    Receivers.start(receiver, "-" + i, c.server(), workers, progress);
                    ByteBuffer chunk = ByteBuffer.allocate(writeSize);
                    workers.loop("sender-" + i, () -> client.send(chunk.clear()));
                }
            }
        }

        @Override
        public void close() {
            workers.shutdown(ssl::stop);
        }
    }

    /** The raw Netty baseline: event-loop writer, counting sink. */
    static final class RawStream implements AutoCloseable {
        private final RawNetty netty = RawNetty.start();
        private final Channel server;
        private final List<Channel> clients = new ArrayList<>();

        RawStream(Provider provider, Protocol version, KeyType.Pair cert, int writeSize, int connections,
                  Progress progress) throws Exception {
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), new Sink(progress)));
            int port = RawNetty.port(server);
            byte[] data = new byte[writeSize];
            Bootstrap b = netty.client(ch -> ch.pipeline().addLast(
                    clientContext.newHandler(ch.alloc(), "localhost", port), new Pump(data, progress)));
            for (int i = 0; i < connections; i++) {
                clients.add(RawNetty.handshaken(b.connect("localhost", port)));
            }
        }

        @Override
        public void close() {
            for (Channel ch : clients) {
                ch.pipeline().get(Pump.class).stop();
                ch.close();
            }
            server.close().syncUninterruptibly();
            netty.close();
        }
    }

    /**
     * Writes {@code data} as direct buffers from the event loop while the channel is writable, one flush per batch;
     * goes on when it becomes writable again.
     */
    static final class Pump extends ChannelInboundHandlerAdapter {
        private final byte[] data;
        private final Progress progress;
        private volatile boolean running = true;
        private boolean started;

        Pump(byte[] data, Progress progress) {
            this.data = data;
            this.progress = progress;
        }

        void stop() {
            running = false;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                started = true;
                pump(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (started && ctx.channel().isWritable()) {
                ctx.executor().execute(() -> pump(ctx)); // not from inside a flush
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            boolean wrote = false;
            while (running && ch.isActive() && ch.isWritable()) {
                ctx.write(ctx.alloc().directBuffer(data.length).writeBytes(data), ctx.voidPromise());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (running) {
                progress.fail(cause);
            }
            ctx.close();
        }
    }
}
