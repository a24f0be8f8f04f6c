package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Memory held by idle TLS connections. One shot: opens {@code count} loopback connections (handshake done,
 * no data), lets them settle, and reports the growth per connection as secondary results (JMH aux counters):
 * {@code heapBytesPerConnection} (used heap after full GCs), {@code directBytesPerConnection} (JDK direct buffer
 * pool plus Netty's own direct counter) and {@code rssBytesPerConnection} (process resident set, which also holds
 * BoringSSL's native {@code SSL} objects and heap pages). {@code openedPerSecond} is how fast they were opened ({@value #PARALLEL} at a time). The primary score
 * (the whole shot, with the full GCs around it) means little.
 *
 * <p>Both ends live in this JVM, so one "connection" here is a client socket <i>and</i> a server socket (2 file
 * descriptors): 10,000 connections would need 20,000+ descriptors, above this machine's hard limit of 20,000. The
 * presets use fewer and the report extrapolates linearly.
 *
 * <p>{@code sslkit}: passive sockets (the default) from {@code Ssl.connect} and {@code transportAccept} +
 * {@code handshake}. {@code raw}: {@code SslHandler} alone in each pipeline, autoRead on.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Benchmark)
public class IdleMemoryBenchmark {

    /** Concurrent handshakes while opening. */
    private static final int PARALLEL = 8;

    @Param({"sslkit", "raw"})
    public String impl;

    @Param({"OPENSSL", "JDK"})
    public Provider provider;

    @Param({"TLS_V1_3"})
    public Protocol version;

    /** Connections to open (each = 2 sockets in this JVM). */
    @Param({"2000"})
    public int count;

    private Opener opener;

    /** Secondary results: bytes per connection (client + server end). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint {
        public double heapBytesPerConnection;
        public double directBytesPerConnection;
        public double rssBytesPerConnection;
        public double openConnections;
        public double openedPerSecond;
    }

    @Setup(Level.Iteration)
    public void start() throws Exception {
        KeyType.Pair cert = KeyType.EC_P256.pair();
        opener = impl.equals("raw") ? new RawOpener(provider, version, cert)
                : new SslkitOpener(provider, version, cert);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        opener.close();
    }

    @Benchmark
    public void openIdleConnections(Footprint f) throws Exception {
        Snapshot before = Snapshot.take();
        long t0 = System.nanoTime();
        int open = opener.open(count);
        f.openedPerSecond = open / ((System.nanoTime() - t0) / 1e9);
        Thread.sleep(1000); // tickets, close_notify of nothing: let every connection settle
        Snapshot after = Snapshot.take();
        f.openConnections = open;
        f.heapBytesPerConnection = (double) (after.heap - before.heap) / open;
        f.directBytesPerConnection = (double) (after.direct - before.direct) / open;
        f.rssBytesPerConnection = (double) (after.rss - before.rss) / open;
    }

    /** Memory in use now, after full collections. */
    record Snapshot(long heap, long direct, long rss) {
        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long direct = 0;
            for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (pool.getName().equals("direct")) {
                    direct += pool.getMemoryUsed();
                }
            }
            if (PlatformDependent.useDirectBufferNoCleaner()) {
                direct += Math.max(0, PlatformDependent.usedDirectMemory()); // not seen by the JDK's pool
            }
            return new Snapshot(heap, direct, readRss());
        }

        private static long readRss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no RSS figure
            }
            return 0;
        }
    }

    interface Opener extends AutoCloseable {
        /** Opens {@code n} connections; returns how many are open. */
        int open(int n) throws Exception;

        @Override
        void close();
    }

    static final class SslkitOpener implements Opener {
        private final Ssl ssl = Ssl.start();
        private final SslListenSocket listen;
        private final SslOptions clientOptions;
        private final Queue<SslSocket> sockets = new ConcurrentLinkedQueue<>();
        private final Workers acceptors = new Workers(null);
        private final AtomicInteger accepted = new AtomicInteger();
        /** One permit per server-side handshake done. */
        private final java.util.concurrent.Semaphore handshaken = new java.util.concurrent.Semaphore(0);

        SslkitOpener(Provider provider, Protocol version, KeyType.Pair cert) throws Exception {
            listen = ssl.listen(0, SslkitEnds.serverOptions(provider, version, cert));
            clientOptions = SslkitEnds.clientOptions(provider, version, cert).build();
        }

        @Override
        public int open(int n) throws Exception {
            for (int i = 0; i < PARALLEL; i++) {
                acceptors.loop("acceptor-" + i, () -> {
                    SslSocket s = listen.transportAccept(Timeout.millis(1_000));
                    s.handshake(Timeout.millis(30_000));
                    sockets.add(s);
                    accepted.incrementAndGet();
                    handshaken.release();
                });
            }
            ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
            try {
                List<Future<?>> done = new ArrayList<>();
                AtomicInteger left = new AtomicInteger(n);
                for (int i = 0; i < PARALLEL; i++) {
                    done.add(clients.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            sockets.add(ssl.connect("localhost", listen.port(), clientOptions,
                                    Timeout.millis(30_000)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdown();
            }
            // the server side of the last handshakes may still be finishing: wait for them (one permit each)
            handshaken.tryAcquire(n, 60, TimeUnit.SECONDS);
            acceptors.stop();
            return Math.min(n, accepted.get());
        }

        @Override
        public void close() {
            acceptors.shutdown(listen::close, ssl::stop);
        }
    }

    static final class RawOpener implements Opener {
        private final RawNetty netty = RawNetty.start();
        private final Channel server;
        private final Bootstrap client;
        private final List<Channel> clients = new ArrayList<>();
        private final int port;

        RawOpener(Provider provider, Protocol version, KeyType.Pair cert) throws Exception {
            SslContext serverContext = RawNetty.serverContext(provider, version, cert);
            SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
            server = netty.bind(ch -> ch.pipeline().addLast(serverContext.newHandler(ch.alloc())));
            port = RawNetty.port(server);
            client = netty.client(ch -> ch.pipeline().addLast(clientContext.newHandler(ch.alloc(), "localhost", port)));
        }

        @Override
        public int open(int n) throws Exception {
            InetSocketAddress address = new InetSocketAddress("localhost", port);
            for (int opened = 0; opened < n; ) {
                int batch = Math.min(PARALLEL, n - opened);
                List<ChannelFuture> connects = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    connects.add(client.connect(address));
                }
                for (ChannelFuture f : connects) {
                    clients.add(RawNetty.handshaken(f));
                }
                opened += batch;
            }
            return n;
        }

        @Override
        public void close() {
            for (Channel ch : clients) {
                ch.close();
            }
            server.close().syncUninterruptibly();
            netty.close();
        }
    }
}
