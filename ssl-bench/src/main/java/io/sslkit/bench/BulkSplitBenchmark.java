package io.sslkit.bench;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslSocket;
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
            Channel server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc()),
                    new Sink(progress)));
            SslSocket client = ssl.connect("localhost", RawNetty.port(server),
                    SslkitEnds.clientOptions(provider, version, cert).build());
            ByteBuffer chunk = ByteBuffer.allocate(writeSize);
            workers.loop("sender", () -> client.send(chunk.clear()));
            return;
        }
        SslSocket server;
        try (SslListenSocket listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert))) {
            int port = listen.port();
            CompletableFuture<SslSocket> accepted = SslkitEnds.acceptAsync(listen);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            byte[] data = new byte[writeSize];
            RawNetty.handshaken(netty.client(c -> c.pipeline().addLast(
                    clientContext.newHandler(c.alloc(), "localhost", port),
                    new BulkThroughputBenchmark.Pump(data, progress))).connect("localhost", port));
            server = accepted.get(30, TimeUnit.SECONDS);
        }
        Receivers.start(sslkitEnd, "", server, workers, progress);
    }

    @Setup(Level.Iteration)
    public void resync() {
        progress.resync();
    }

    @TearDown(Level.Trial)
    public void stop() {
        workers.shutdown(ssl::stop, netty::close);
    }

    @Benchmark
    public void transfer() throws Exception {
        progress.awaitNext(BulkThroughputBenchmark.BYTES_PER_OP);
    }
}
