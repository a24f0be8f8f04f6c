package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.ProcessStats;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Connection exhaustion against {@code echo-server} and {@code proxy} (in-process, loopback): many TCP connections
 * that open and send nothing, or one byte per second of a TLS record that never ends. The servers' handshake
 * timeout (echo-server 30 s, the proxy Netty's 10 s) and {@code RecordGuard}'s mid-record limit must close all of
 * them by themselves; descriptors and memory come back; a well-behaved client still completes handshakes meanwhile.
 * Prints the figures: handshake rate idle and under attack, descriptors, heap, threads. No timed assertion.
 *
 * <p>{@code -Dsslkit.exhaustion.connections=N} (default 2,000: this fits a 2-core CI machine in about a minute;
 * in one JVM, 10,000 needs {@code ulimit -n} above 2 N + 1,000 for the echo-server, 4 N + 1,000 for the proxy;
 * {@code -Dsslkit.exhaustion.port=P} attacks an echo-server already running in another process on 127.0.0.1:P
 * instead: {@code java -jar ssl-examples/target/sslkit.jar echo-server --port P --certfile .. --keyfile ..}).
 */
class ExhaustionTest {

    private static final int CONNECTIONS = Integer.getInteger("sslkit.exhaustion.connections", 2_000);
    /** A handshake record header announcing 512 bytes, then the start of a ClientHello: the drip never ends it. */
    private static final byte[] DRIP = {22, 3, 1, 2, 0, 1, 0, 1, (byte) 252, 3, 3};
    private final TestPki pki = TestPki.ec();

    @Test
    @org.junit.jupiter.api.Timeout(value = 240, threadMode = ThreadMode.SAME_THREAD)
    void idleAndDrippingConnectionsAreClosedByTheEchoServerAndHandshakesGoOn() throws Exception {
        Integer external = Integer.getInteger("sslkit.exhaustion.port");
        if (external != null) { // an echo-server in its own process (by hand, for counts above the file limit)
            attack("echo-server on port " + external, external);
            return;
        }
        try (Sslkit.Server server = Sslkit.start("echo-server", "--port", "0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString())) {
            attack("echo-server", server.port());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 240, threadMode = ThreadMode.SAME_THREAD)
    void idleAndDrippingConnectionsAreClosedByTheProxyAndHandshakesGoOn() throws Exception {
        try (Sslkit.Server backend = Sslkit.start("echo-server", "--port", "0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString());
             Sslkit.Server proxy = Sslkit.start("proxy", "--listen", "0", "--connect", "localhost:" + backend.port(),
                     "--connect-cacertfile", pki.file("ca.pem").toString(), "--certfile",
                     pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString())) {
            attack("proxy", proxy.port());
        }
    }

    private void attack(String name, int port) throws Exception {
        try (Ssl ssl = Ssl.start()) {
            handshakes(ssl, port, 20); // warm up
            long fdsBefore = ProcessStats.openFiles();
            long heapBefore = ProcessStats.heapAfterGc();
            double idleRate = handshakes(ssl, port, 60);
            try (Attackers attackers = new Attackers(port, CONNECTIONS)) {
                long fdsUnder = ProcessStats.openFiles();
                int threadsUnder = ProcessStats.threads();
                long heapUnder = ProcessStats.heapAfterGc();
                double attackRate = handshakes(ssl, port, 60);
                boolean allClosed = attackers.allClosed.await(120, TimeUnit.SECONDS);
                long fdsAfter = descriptorsSettled(fdsBefore + 500, 60);
                long heapAfter = ProcessStats.heapAfterGc();
                System.out.printf("%nexhaustion %s: %d connections (half silent, half 1 byte/s), load %.1f%n"
                                + "  handshakes/s idle %.1f, under attack %.1f (%.0f%%)%n"
                                + "  descriptors before %d, under attack %d, after %d; threads under attack %d%n"
                                + "  heap after GC before %d MiB, under attack %d MiB, after %d MiB%n"
                                + "  closed by the server: %d of %d, last one %d s after the first connect%n",
                        name, CONNECTIONS, loadAverage(), idleRate, attackRate, 100 * attackRate / idleRate,
                        fdsBefore, fdsUnder, fdsAfter, threadsUnder, heapBefore >> 20, heapUnder >> 20,
                        heapAfter >> 20, CONNECTIONS - attackers.allClosed.getCount(), CONNECTIONS,
                        attackers.lastCloseSeconds());
                assertThat(allClosed).as("the server closed every idle and dripping connection by itself").isTrue();
                assertThat(attackRate).as("a well-behaved client still completes handshakes").isPositive();
                // every descriptor of the attack is gone: the server closed its side, the reader closed ours
                assertThat(fdsAfter - fdsBefore).as("descriptors left").isLessThan(500L);
            }
        }
    }

    /**
     * The descriptor count once it is under {@code bound}, or after {@code seconds} whatever it is. The servers run
     * in this process and close their side of the attack (and the proxy its backend links) asynchronously, after
     * the attackers saw their end: the count is sampled on a timer until it settles, and a leak stays above.
     */
    private static long descriptorsSettled(long bound, int seconds) throws Exception {
        java.util.concurrent.CompletableFuture<Long> settled = new java.util.concurrent.CompletableFuture<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            sampler.scheduleAtFixedRate(() -> {
                long n = ProcessStats.openFiles();
                if (n < bound) {
                    settled.complete(n);
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            return settled.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return ProcessStats.openFiles();
        } finally {
            sampler.shutdownNow();
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Full handshakes (fresh options: no resumption) one after the other; the rate per second. */
    private double handshakes(Ssl ssl, int port, int count) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String ca = System.getProperty("sslkit.exhaustion.cacertfile"); // with sslkit.exhaustion.port
            SslOptions options = (ca == null ? pki.clientOptions(Provider.AUTO)
                    : SslOptions.builder().cacertfile(java.nio.file.Path.of(ca))).reuseSessions(false).build();
            try (SslSocket s = ssl.connect("localhost", port, options, Timeout.millis(30_000))) {
                s.send("x");
                assertThat(s.recv(1, Timeout.millis(30_000))).hasSize(1);
            }
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /** The attacking connections: half silent, half dripping; one selector thread notes when each is closed. */
    private static final class Attackers implements AutoCloseable {
        final CountDownLatch allClosed;
        private final List<SocketChannel> channels = new ArrayList<>();
        private final Selector selector = Selector.open();
        private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        private final Thread reader;
        private final long start = System.nanoTime();
        private volatile long lastClose;
        private final AtomicInteger dripped = new AtomicInteger();

        Attackers(int port, int n) throws IOException {
            allClosed = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                c.configureBlocking(false);
                channels.add(c);
            }
            for (SocketChannel c : channels) {
                c.register(selector, SelectionKey.OP_READ);
            }
            reader = new Thread(this::readUntilAllClosed, "attackers-reader");
            reader.setDaemon(true);
            reader.start();
            drip.scheduleAtFixedRate(this::dripOneByte, 0, 1, TimeUnit.SECONDS);
        }

        /** Each dripping connection (odd index) gets the next byte of {@link #DRIP}, then zeros. */
        private void dripOneByte() {
            int k = dripped.getAndIncrement();
            byte b = k < DRIP.length ? DRIP[k] : 0;
            for (int i = 1; i < channels.size(); i += 2) {
                SocketChannel c = channels.get(i);
                try {
                    if (c.isOpen()) {
                        c.write(ByteBuffer.wrap(new byte[] {b}));
                    }
                } catch (IOException e) {
                    // closed by the server: the reader counts it
                }
            }
        }

        private void readUntilAllClosed() {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (allClosed.getCount() > 0 && selector.isOpen()) {
                    selector.select(1_000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        int n;
                        try {
                            buf.clear();
                            n = c.read(buf);
                        } catch (IOException e) {
                            n = -1; // reset
                        }
                        if (n < 0) {
                            key.cancel();
                            c.close();
                            lastClose = System.nanoTime();
                            allClosed.countDown();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed by close()
            }
        }

        long lastCloseSeconds() {
            return lastClose == 0 ? -1 : TimeUnit.NANOSECONDS.toSeconds(lastClose - start);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            drip.shutdownNow();
            selector.close();
            reader.join(5_000);
            for (SocketChannel c : channels) {
                c.close();
            }
        }
    }
}
