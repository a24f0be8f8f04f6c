package io.sslkit.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.EchoServerProcess;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.ProcessStats;
import io.sslkit.netty.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * 10,000 concurrent TLS connections on one runtime, each echoing 1 KiB checked byte for byte while all are open.
 *
 * <p>The open-file limit here is 20,000 and cannot be raised (the container refuses {@code ulimit -n} even to
 * root), so the two ends live in two processes: the echo server is a second JVM ({@link EchoServerProcess}) with
 * its own limit, and this JVM holds the 10,000 clients. Heap and resident memory per connection are printed for both
 * sides.
 */
class LoadTest {

    private static final int CONNECTIONS = Integer.getInteger("sslkit.load.connections", 10_000);
    private static final int BYTES = 1024;

    @Test
    void tenThousandConcurrentConnectionsEchoEveryByte() throws Exception {
        long limit = ProcessStats.openFileLimit();
        long needed = CONNECTIONS + 500L;
        String why = "open-file limit " + limit + " < " + needed;
        if ("true".equals(System.getenv("CI"))) {
            assertThat(limit).as(why).isGreaterThanOrEqualTo(needed);
        }
        Assumptions.assumeTrue(limit >= needed, why);
        TestPki pki = TestPki.ec();
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dio.netty.leakDetection.level=simple", "-cp", System.getProperty("java.class.path"),
                EchoServerProcess.class.getName(), pki.file("server.pem").toString(), pki.file("server.key").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<SslSocket> all = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8));
             Writer cmd = new OutputStreamWriter(server.getOutputStream(), UTF_8);
             Ssl ssl = Ssl.start()) {
            String first = out.readLine();
            assertThat(first).startsWith("listening ");
            int port = Integer.parseInt(first.substring("listening ".length()));
            String baseline = stats(cmd, out);
            long heapBefore = ProcessStats.heapAfterGc();
            long rssBefore = ProcessStats.residentBytes();
            SslOptions client = pki.clientOptions(Provider.AUTO).build();
            List<CompletableFuture<SslSocket>> connecting = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connecting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ssl.connect("localhost", port, client, Timeout.millis(120_000));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, clients));
            }
            for (CompletableFuture<SslSocket> c : connecting) {
                all.add(c.get(300, TimeUnit.SECONDS));
            }
            long heapOpen = ProcessStats.heapAfterGc();
            long rssOpen = ProcessStats.residentBytes();
            // The server's handshake() calls may still be returning for the last clients (a TLS 1.3 client is
            // done first): ask again until it counts every connection, or give up after a while.
            String loaded = stats(cmd, out);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Integer.parseInt(loaded.split(" ")[1]) < CONNECTIONS && System.nanoTime() < until) {
                loaded = stats(cmd, out);
            }
            List<CompletableFuture<Void>> echoes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                SslSocket c = all.get(i);
                long seed = i;
                echoes.add(CompletableFuture.runAsync(() -> {
                    try {
                        byte[] data = new byte[BYTES];
                        new Pattern(seed).fill(data, 0, BYTES, 0);
                        c.send(data);
                        byte[] back = c.recv(BYTES, Timeout.millis(120_000));
                        assertThat(new Pattern(seed).firstMismatch(back, 0)).isEqualTo(-1);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, clients));
            }
            CompletableFuture.allOf(echoes.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
            String[] b = baseline.split(" ");
            String[] l = loaded.split(" ");
            assertThat(Integer.parseInt(l[1])).as("server connections").isEqualTo(CONNECTIONS);
            System.out.printf("%d connections, all echoing: client side heap %.1f KiB and resident %.1f KiB per"
                            + " connection; server side heap %.1f KiB and resident %.1f KiB per connection%n",
                    CONNECTIONS, (heapOpen - heapBefore) / 1024.0 / CONNECTIONS,
                    (rssOpen - rssBefore) / 1024.0 / CONNECTIONS,
                    (Long.parseLong(l[2]) - Long.parseLong(b[2])) / 1024.0 / CONNECTIONS,
                    (Long.parseLong(l[3]) - Long.parseLong(b[3])) / 1024.0 / CONNECTIONS);
        } finally {
            all.forEach(SslSocket::close);
            clients.shutdownNow();
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static String stats(Writer cmd, BufferedReader out) throws Exception {
        cmd.write("stats\n");
        cmd.flush();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("stats ")) {
            // other output
        }
        assertThat(line).as("the echo server answered").isNotNull();
        return line;
    }
}
