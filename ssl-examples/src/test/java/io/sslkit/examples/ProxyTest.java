package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.examples.interop.Matrix;
import io.sslkit.examples.interop.MatrixReport;
import io.sslkit.examples.interop.PeerProcess;
import io.sslkit.examples.interop.Peers;
import io.sslkit.netty.proxy.TlsProxy;
import io.sslkit.netty.SocketProbes;
import io.sslkit.netty.context.TlsContexts;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code sslkit proxy}: TLS termination to plain TCP, re-encryption, back-pressure, and real peers through it. */
@ExtendWith(MatrixReport.class)
public class ProxyTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    /** A plain TCP echo server: a thread per connection, half-closes after the client does. */
    public static final class PlainEcho implements AutoCloseable {
        final ServerSocket listener;

        public PlainEcho() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::acceptLoop, "plain-echo");
            t.setDaemon(true);
            t.start();
        }

        public int port() {
            return listener.getLocalPort();
        }

        private void acceptLoop() {
            while (true) {
                try {
                    Socket s = listener.accept();
                    Thread t = new Thread(() -> echo(s), "plain-echo-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // the client went away
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    List<String> frontFlags() {
        return List.of("--certfile", pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString());
    }

    @Test
    void terminatesTlsToAPlainServer() throws Exception {
        try (PlainEcho backend = new PlainEcho()) {
            List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect",
                    "127.0.0.1:" + backend.port()));
            args.addAll(frontFlags());
            try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new))) {
                for (String provider : List.of("openssl", "jdk")) {
                    Sslkit.Run run = Sslkit.run("echo-client", "--host", "localhost", "--port",
                            Integer.toString(proxy.port()), "--cacertfile", pki.file("ca.pem").toString(), "--bytes",
                            "16M", "--provider", provider);
                    assertThat(run.exitCode()).as("%s", run).isZero();
                    assertThat(run.firstLine()).startsWith("ok 16777216 tlsv1.3 ");
                }
                assertThat(proxy.err().awaitPrefix("127.0.0.1:", WAIT)).hasValueSatisfying(
                        l -> assertThat(l).matches("127\\.0\\.0\\.1:\\d+ tlsv1\\.3 TLS_\\w+ \\w+ -> 127\\.0\\.0\\.1:\\d+"));
            }
        }
    }

    @Test
    void reEncryptsToATlsServer() throws Exception {
        try (Sslkit.Server backend = Sslkit.start("echo-server", "--port", "0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString(), "--versions",
                "tlsv1.2")) {
            List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect",
                    "localhost:" + backend.port(), "--connect-cacertfile", pki.file("ca.pem").toString(),
                    "--provider", "jdk"));
            args.addAll(frontFlags());
            try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new))) {
                Sslkit.Run run = Sslkit.run("echo-client", "--host", "localhost", "--port",
                        Integer.toString(proxy.port()), "--cacertfile", pki.file("ca.pem").toString(), "--bytes",
                        "16M");
                assertThat(run.exitCode()).as("%s", run).isZero();
                assertThat(run.firstLine()).startsWith("ok 16777216 tlsv1.3 "); // client side: TLS 1.3
                assertThat(backend.err().awaitPrefix("127.0.0.1:", WAIT)).hasValueSatisfying(
                        l -> assertThat(l).contains(" tlsv1.2 ")); // server side: TLS 1.2, from the proxy
            }
        }
    }

    @Test
    void aServerThatCannotBeReachedClosesTheClient() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect", "127.0.0.1:" + closed));
        args.addAll(frontFlags());
        try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new))) {
            Sslkit.Run run = Sslkit.run("echo-client", "--host", "localhost", "--port", Integer.toString(proxy.port()),
                    "--cacertfile", pki.file("ca.pem").toString(), "--bytes", "1000");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(proxy.err().await(l -> l.contains("connection refused"), WAIT)).isPresent();
        }
    }

    /**
     * A server that does not read: the client's sends block (TCP pushes back through the proxy) while the proxy
     * holds no more than about a channel's high-water mark; then the server reads everything, intact.
     */
    @Test
    void backPressureHoldsTheClientNotTheProxy() throws Exception {
        long total = 48L << 20;
        Pattern pattern = new Pattern(7);
        CountDownLatch startReading = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        try (ServerSocket backend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Ssl ssl = Ssl.start();
             TlsProxy proxy = new TlsProxy(TlsContexts.forServer(pki.serverOptions(Provider.AUTO).build()),
                     "127.0.0.1", backend.getLocalPort(), null, line -> { })) {
            CompletableFuture<Long> server = Async.supply(() -> {
                try (Socket s = backend.accept(); InputStream in = s.getInputStream()) {
                    startReading.await();
                    byte[] buf = new byte[65536];
                    long pos = 0;
                    int n;
                    while (pos < total && (n = in.read(buf)) > 0) {
                        byte[] got = java.util.Arrays.copyOf(buf, n);
                        assertThat(pattern.firstMismatch(got, pos)).isEqualTo(-1);
                        pos += n;
                        received.set(pos);
                    }
                    return pos;
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            int port = proxy.start(0);
            AtomicLong sent = new AtomicLong();
            try (SslSocket client = ssl.connect("localhost", port, pki.clientOptions(Provider.AUTO).build(),
                    Timeout.millis(20_000))) {
                CompletableFuture<Void> sender = Async.run(() -> {
                    byte[] chunk = new byte[256 * 1024];
                    try {
                        for (long pos = 0; pos < total; pos += chunk.length) {
                            pattern.fill(chunk, 0, chunk.length, pos);
                            client.send(chunk);
                            sent.set(pos + chunk.length);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The sender stays blocked in send (the socket's own clock): TCP holds it back through the proxy.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (SocketProbes.sendBlockedMillis(client) < 500) {
                    assertThat(System.nanoTime()).as("the sender blocks within 30 s").isLessThan(deadline);
                    Thread.onSpinWait();
                    Thread.yield();
                }
                assertThat(sent.get()).as("the client is held back by TCP").isLessThan(total);
                assertThat(proxy.maxPendingBytes()).as("bytes waiting in the proxy").isLessThan(1L << 20);
                startReading.countDown();
                sender.get(60, TimeUnit.SECONDS);
                assertThat(server.get(60, TimeUnit.SECONDS)).isEqualTo(total);
                assertThat(proxy.maxPendingBytes()).isLessThan(1L << 20);
            }
        } finally {
            startReading.countDown();
        }
    }

    // ---- real peers through the proxy (rows of the interop matrix) -------------------------------------------

    @Test
    void opensslClientThroughTheProxy() throws Exception {
        Matrix.run("openssl s_client", "proxy", "-> plain TCP echo", "tlsv1.3", "openssl", () -> {
            String openssl = Peers.require("openssl");
            try (PlainEcho backend = new PlainEcho()) {
                List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect",
                        "127.0.0.1:" + backend.port(), "--provider", "openssl"));
                args.addAll(frontFlags());
                try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new));
                     PeerProcess c = PeerProcess.start(List.of(openssl, "s_client", "-connect",
                             "127.0.0.1:" + proxy.port(), "-servername", "localhost", "-CAfile",
                             pki.file("ca.pem").toString(), "-verify_return_error", "-brief"))) {
                    String line = "through the proxy " + "0123456789".repeat(100);
                    c.stdin().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                    c.stdin().flush();
                    assertThat(c.out().await(line::equals, WAIT)).isPresent();
                    c.stdin().close();
                    assertThat(c.awaitExit(WAIT)).isZero();
                    return c.err().awaitPrefix("Ciphersuite: ", WAIT).orElse("?");
                }
            }
        });
    }

    @Test
    void erlangClientThroughAReEncryptingProxy() throws Exception {
        Matrix.run("erlang client", "proxy", "-> TLS 1.2 to sslkit echo-server (jdk)", "tlsv1.3", "openssl", () -> {
            String escript = Peers.require("escript");
            try (Sslkit.Server backend = Sslkit.start("echo-server", "--port", "0", "--certfile",
                    pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString(), "--versions",
                    "tlsv1.2", "--provider", "jdk")) {
                List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect",
                        "localhost:" + backend.port(), "--connect-cacertfile", pki.file("ca.pem").toString(),
                        "--provider", "openssl"));
                args.addAll(frontFlags());
                try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new));
                     PeerProcess c = PeerProcess.start(List.of(escript, Peers.erlangPeer(), "client", "--host",
                             "localhost", "--port", Integer.toString(proxy.port()), "--verify", "verify_peer",
                             "--cacertfile", pki.file("ca.pem").toString(), "--bytes", "2000000", "--active",
                             "once", "--timeout", "30000"))) {
                    int code = c.awaitExit(WAIT);
                    assertThat(code).as("%s %s", c.out().text(), c.err().text()).isZero();
                    return c.out().awaitPrefix("ok ", Duration.ZERO).orElseThrow();
                }
            }
        });
    }
}
