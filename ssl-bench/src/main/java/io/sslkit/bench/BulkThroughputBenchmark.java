package io.sslkit.bench;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.certs.HeldCertificate;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk one-way throughput through the sslkit API: the client sends {@code writeSize}-byte writes, the server
 * drains them with passive {@code recv(0)}. One operation moves {@link #BYTES_PER_OP} bytes, so MB/s is
 * {@code ops/s × 4}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class BulkThroughputBenchmark {

    /** Bytes moved per benchmark operation: 4 MiB. */
    public static final int BYTES_PER_OP = 4 << 20;

    @Param({"OPENSSL", "JDK"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    @Param({"16384"})
    public int writeSize;

    private Ssl ssl;
    private SslSocket client;
    private SslSocket server;
    private ByteBuffer chunk;

    @Setup(Level.Trial)
    public void connect() throws Exception {
        HeldCertificate cert = HeldCertificate.builder().addSubjectAlternativeName("localhost").build();
        ssl = Ssl.start();
        SslOptions serverOptions = SslOptions.builder().provider(provider).versions(version)
                .cert(cert.certificate()).key(cert.privateKey()).build();
        SslOptions clientOptions = SslOptions.builder().provider(provider).versions(version)
                .cacerts(cert.certificate()).build();
        try (SslListenSocket listen = ssl.listen(0, serverOptions)) {
            CompletableFuture<SslSocket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    SslSocket s = listen.transportAccept();
                    s.handshake();
                    return s;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            client = ssl.connect("localhost", listen.port(), clientOptions);
            server = accepted.get(30, TimeUnit.SECONDS);
        }
        chunk = ByteBuffer.allocate(writeSize);
    }

    @TearDown(Level.Trial)
    public void close() {
        ssl.stop();
    }

    @Benchmark
    public long sendAndRecvPassive() throws Exception {
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                for (int sent = 0; sent < BYTES_PER_OP; sent += writeSize) {
                    client.send(chunk.clear());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long received = 0;
        while (received < BYTES_PER_OP) {
            received += server.recv(0, Timeout.millis(30_000)).length;
        }
        sender.get();
        return received;
    }
}
