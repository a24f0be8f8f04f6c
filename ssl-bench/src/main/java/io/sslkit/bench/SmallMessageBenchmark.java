package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.nio.ByteBuffer;
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
 * Small-message rate over one loopback TLS connection, in messages per second: 64-byte messages framed as
 * {@code packet line} or {@code packet 4}, received one message at a time.
 *
 * <p>Both senders write blocks of {@value #BLOCK} bytes of whole messages (the raw one from the event loop, sslkit's
 * with {@code send} in a loop), so the figure is the receiving side's per-message cost:
 * <ul>
 *   <li>{@code raw}: the baseline, {@code SslHandler → LineBasedFrameDecoder} (or
 *   {@code LengthFieldBasedFrameDecoder(…, 0, 4, 0, 4)}) {@code → counter}, autoRead.</li>
 *   <li>{@code recv}: sslkit, passive, the socket's {@code packet} option set, a thread in a {@code recv(0)} loop
 *   (one message per call).</li>
 *   <li>{@code true}: sslkit, {@code {active, true}} to a {@link Mailbox}, a thread receiving (one message per
 *   {@code Data}).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(SmallMessageBenchmark.MESSAGES_PER_OP)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class SmallMessageBenchmark {

    /** Messages per benchmark operation; the score is messages/s. */
    public static final int MESSAGES_PER_OP = 10_000;
    /** Bytes per message, header or newline included. */
    static final int MESSAGE = 64;
    /** Bytes per write: whole messages. */
    static final int BLOCK = 16 * 1024;

    @Param({"raw", "recv", "true"})
    public String receiver;

    @Param({"line", "4"})
    public String packet;

    @Param({"OPENSSL"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    private final Progress progress = new Progress();
    private AutoCloseable stream;

    @Setup(Level.Trial)
    public void start() throws Exception {
        KeyType.Pair cert = KeyType.EC_P256.pair();
        byte[] block = block(packet);
        stream = receiver.equals("raw") ? new RawStream(provider, version, cert, block, packet, progress)
                : new SslkitStream(provider, version, cert, block, packet, receiver, progress);
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
    public void messages() throws Exception {
        progress.awaitNext(MESSAGES_PER_OP);
    }

    /** {@link #BLOCK} bytes of 64-byte messages: lines ending in a newline, or a 4-byte length and 60 bytes. */
    static byte[] block(String packet) {
        byte[] b = new byte[BLOCK];
        for (int at = 0; at < BLOCK; at += MESSAGE) {
            if (packet.equals("line")) {
                java.util.Arrays.fill(b, at, at + MESSAGE - 1, (byte) 'x');
                b[at + MESSAGE - 1] = '\n';
            } else {
                b[at + 3] = MESSAGE - 4;
                java.util.Arrays.fill(b, at + 4, at + MESSAGE, (byte) 'x');
            }
        }
        return b;
    }

    /** sslkit on both ends; the server reads with its {@code packet} option set. */
    static final class SslkitStream implements AutoCloseable {
        private final Ssl ssl = Ssl.start();
        private final Workers workers;

        SslkitStream(Provider provider, Protocol version, KeyType.Pair cert, byte[] block, String packet,
                     String receiver, Progress progress) throws Exception {
            workers = new Workers(progress);
            SslOptions clientOptions = SslkitEnds.clientOptions(provider, version, cert).build();
            try (SslListenSocket listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert))) {
                SslkitEnds.Connection c = SslkitEnds.connect(ssl, listen, clientOptions);
                SslSocket server = c.server();
                server.setopts(Opt.PACKET.of(packet.equals("line") ? PacketType.LINE : PacketType.FOUR));
                if (receiver.equals("recv")) {
                    workers.loop("recv", () -> {
                        server.recv(0, Timeout.millis(30_000));
                        progress.add(1);
                    });
                } else {
                    Mailbox mailbox = new Mailbox();
                    server.controllingProcess(null, mailbox);
                    server.setopts(Opt.ACTIVE.of(Active.TRUE));
                    workers.loop("active", () -> {
                        SslMessage m = mailbox.receive(Timeout.millis(30_000)).orElseThrow();
                        if (!(m instanceof SslMessage.Data)) {
                            throw new IllegalStateException("unexpected " + m);
                        }
                        progress.add(1);
                    });
                }
                ByteBuffer data = ByteBuffer.wrap(block);
                workers.loop("sender", () -> c.client().send(data.clear()));
            }
        }

        @Override
        public void close() {
            workers.shutdown(ssl::stop);
        }
    }

    /** The raw Netty baseline: event-loop writer; Netty's frame decoder and a counter on the server. */
    static final class RawStream implements AutoCloseable {
        private final RawNetty netty = RawNetty.start();
        private final Channel server;
        private final Channel client;

        RawStream(Provider provider, Protocol version, KeyType.Pair cert, byte[] block, String packet,
                  Progress progress) throws Exception {
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc()), decoder(packet),
                    new Counter(progress)));
            int port = RawNetty.port(server);
            Bootstrap b = netty.client(ch -> ch.pipeline().addLast(
                    clientContext.newHandler(ch.alloc(), "localhost", port),
                    new BulkThroughputBenchmark.Pump(block, progress)));
            client = RawNetty.handshaken(b.connect("localhost", port));
        }

        private static ChannelHandler decoder(String packet) {
            return packet.equals("line") ? new LineBasedFrameDecoder(MESSAGE)
                    : new LengthFieldBasedFrameDecoder(Integer.MAX_VALUE, 0, 4, 0, 4);
        }

        @Override
        public void close() {
            client.pipeline().get(BulkThroughputBenchmark.Pump.class).stop();
            client.close();
            server.close().syncUninterruptibly();
            netty.close();
        }
    }

    /** Counts one message per frame and releases it. */
    static final class Counter extends ChannelInboundHandlerAdapter {
        private final Progress progress;

        Counter(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            progress.add(1);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            progress.fail(cause);
            ctx.close();
        }
    }
}
