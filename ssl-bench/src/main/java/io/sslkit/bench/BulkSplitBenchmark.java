package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
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
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
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
 * Diagnostic for {@link BulkThroughputBenchmark}: sslkit on one end only, the raw Netty baseline on the other, so
 * that the gap to raw can be split between the send path and the receive path. MB/s as in the bulk benchmark.
 *
 * <ul>
 *   <li>{@code send}: an sslkit client's {@code send(ByteBuffer)} loop → raw server ({@code SslHandler} + sink).</li>
 *   <li>{@code recv0} / {@code true}: raw client (event-loop writer) → sslkit server reading with a {@code recv(0)}
 *   loop / {@code {active, true}} into a Mailbox.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BulkThroughputBenchmark.MB_PER_OP)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class BulkSplitBenchmark {

    @Param({"send", "recv0", "true"})
    public String sslkitEnd;

    @Param({"OPENSSL"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    @Param({"16384"})
    public int writeSize;

    private final Progress progress = new Progress();
    private final Workers workers = new Workers(progress);
    private RawNetty netty;
    private Ssl ssl;

    @Setup(Level.Trial)
    public void start() throws Exception {
        KeyType.Pair cert = KeyType.EC_P256.pair();
        netty = RawNetty.start();
        ssl = Ssl.start();
        if (sslkitEnd.equals("send")) {
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            Channel server = new ServerBootstrap().group(netty.group()).channel(netty.serverChannel())
                    .childOption(ChannelOption.ALLOCATOR, RawNetty.ALLOC)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(serverContext.newHandler(ch.alloc()),
                                    new BulkThroughputBenchmark.Sink(progress));
                        }
                    }).bind(0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            SslSocket client = ssl.connect("localhost", port, SslOptions.builder().provider(provider)
                    .versions(version).cacerts(cert.ca().certificate()).build());
            ByteBuffer chunk = ByteBuffer.allocate(writeSize);
            workers.loop("sender", () -> client.send(chunk.clear()));
            return;
        }
        SslSocket server;
        int port;
        try (SslListenSocket listen = ssl.listen(0, SslOptions.builder().provider(provider).versions(version)
                .cert(cert.leaf().certificate()).key(cert.leaf().privateKey()).build())) {
            port = listen.port();
            CompletableFuture<SslSocket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    SslSocket s = listen.transportAccept();
                    s.handshake();
                    return s;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            byte[] data = new byte[writeSize];
            Channel ch = new Bootstrap().group(netty.group()).channel(netty.channel())
                    .option(ChannelOption.ALLOCATOR, RawNetty.ALLOC)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(clientContext.newHandler(c.alloc(), "localhost", port),
                                    new BulkThroughputBenchmark.Pump(data, progress));
                        }
                    }).connect("localhost", port).sync().channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
            server = accepted.get(30, TimeUnit.SECONDS);
        }
        if (sslkitEnd.equals("recv0")) {
            workers.loop("recv0", () -> progress.add(server.recv(0).length));
        } else {
            Mailbox mailbox = new Mailbox();
            server.controllingProcess(null, mailbox);
            server.setopts(Opt.ACTIVE.of(Active.TRUE));
            workers.loop("active", () -> {
                SslMessage m = mailbox.receive(Timeout.millis(30_000)).orElseThrow();
                if (!(m instanceof SslMessage.Data d)) {
                    throw new IllegalStateException("unexpected " + m);
                }
                progress.add(d.size());
            });
        }
    }

    @Setup(Level.Iteration)
    public void resync() {
        progress.resync();
    }

    @TearDown(Level.Trial)
    public void stop() {
        workers.stop();
        ssl.stop();
        netty.close();
        workers.join();
    }

    @Benchmark
    public void transfer() throws Exception {
        progress.awaitNext(BulkThroughputBenchmark.BYTES_PER_OP);
    }
}
