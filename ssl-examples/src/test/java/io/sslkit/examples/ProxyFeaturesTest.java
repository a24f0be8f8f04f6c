package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.ConnectionInfo;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.examples.ProxyTest.PlainEcho;
import io.sslkit.examples.interop.PeerProcess;
import io.sslkit.examples.interop.Peers;
import io.sslkit.netty.certs.HeldCertificate;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code sslkit proxy} as a proxy people run: limits and timeouts, graceful stop on SIGTERM, SNI routing and
 * pass-through, certificate reload. Real clients (sslkit, {@code openssl s_client}) and real backends.
 */
class ProxyFeaturesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    static List<String> proxyArgs(int backendPort, String... more) {
        List<String> args = new ArrayList<>(List.of("proxy", "--listen", "0", "--connect", "127.0.0.1:" + backendPort,
                "--certfile", pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString()));
        args.addAll(List.of(more));
        return args;
    }

    static SslSocket connect(Ssl ssl, int port) throws SslException {
        return ssl.connect("localhost", port, pki.clientOptions(Provider.AUTO).build(), Timeout.millis(20_000));
    }

    /** Sends one message and reads its echo: the connection is through the proxy and relaying. */
    static void roundTrip(SslSocket s, String text) throws SslException {
        s.send(text);
        byte[] got = s.recv(text.length(), Timeout.millis(WAIT.toMillis()));
        assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    static Reason reasonOf(ThrowingRunnable r) {
        try {
            r.run();
        } catch (SslException e) {
            return e.reason();
        }
        throw new AssertionError("no failure");
    }

    interface ThrowingRunnable {
        void run() throws SslException;
    }

    // ---- limits and timeouts ---------------------------------------------------------------------------------

    @Test
    void connectionsBeyondMaxConnectionsAreClosedAtAccept() throws Exception {
        try (PlainEcho backend = new PlainEcho();
             Sslkit.Server proxy = Sslkit.start(proxyArgs(backend.port(), "--max-connections", "1")
                     .toArray(String[]::new));
             Ssl ssl = Ssl.start();
             SslSocket first = connect(ssl, proxy.port())) {
            roundTrip(first, "first");
            try (Socket second = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                second.setSoTimeout((int) WAIT.toMillis());
                assertThat(second.getInputStream().read()).as("closed at accept, before any TLS").isEqualTo(-1);
            }
            assertThat(proxy.err().await(l -> l.endsWith("refused: max-connections 1"), WAIT)).isPresent();
            roundTrip(first, "still relaying"); // the admitted connection goes on
        }
    }

    @Test
    void silentAndStalledClientsAreClosedAtTheHandshakeTimeout() throws Exception {
        try (PlainEcho backend = new PlainEcho();
             Sslkit.Server proxy = Sslkit.start(proxyArgs(backend.port(), "--handshake-timeout", "300")
                     .toArray(String[]::new));
             Socket silent = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
             Socket stalled = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00}); // a record header, then nothing
            for (Socket s : List.of(silent, stalled)) {
                s.setSoTimeout((int) WAIT.toMillis());
                assertThat(drain(s.getInputStream())).as("the proxy closed it").isGreaterThanOrEqualTo(0);
            }
            assertThat(proxy.err().await(l -> l.contains(" error ") && l.toLowerCase().contains("time"), WAIT))
                    .isPresent();
        }
    }

    @Test
    void anIdleConnectionIsClosedWithCloseNotify() throws Exception {
        try (PlainEcho backend = new PlainEcho();
             Sslkit.Server proxy = Sslkit.start(proxyArgs(backend.port(), "--idle-timeout", "300")
                     .toArray(String[]::new));
             Ssl ssl = Ssl.start();
             SslSocket client = connect(ssl, proxy.port())) {
            roundTrip(client, "then silence");
            assertThat(reasonOf(() -> client.recv(0, Timeout.millis(WAIT.toMillis())))).isEqualTo(Reason.CLOSED);
            assertThat(client.connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.CLOSE_NOTIFY);
            assertThat(proxy.err().await(l -> l.contains(" error idle "), WAIT)).isPresent();
        }
    }

    @Test
    void aBackendThatRefusesGivesTheClientACleanClose() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        try (Sslkit.Server proxy = Sslkit.start(proxyArgs(closed, "--connect-timeout", "2000")
                     .toArray(String[]::new));
             Ssl ssl = Ssl.start();
             SslSocket client = connect(ssl, proxy.port())) {
            assertThat(reasonOf(() -> client.recv(0, Timeout.millis(WAIT.toMillis())))).isEqualTo(Reason.CLOSED);
            assertThat(client.connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.CLOSE_NOTIFY);
            assertThat(proxy.err().await(l -> l.contains("connection refused"), WAIT)).isPresent();
        }
    }

    /** Reads to the end of the stream, or a reset; returns the bytes read. */
    static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[4096];
        try {
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
            }
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return n;
    }

    // ---- observability ---------------------------------------------------------------------------------------

    @Test
    void theAccessLogHasOneLinePerConnection() throws Exception {
        try (PlainEcho backend = new PlainEcho();
             Sslkit.Server proxy = Sslkit.start(proxyArgs(backend.port(), "--access-log", "-")
                     .toArray(String[]::new));
             Ssl ssl = Ssl.start()) {
            int clientPort;
            try (SslSocket client = ssl.connect("localhost", proxy.port(), pki.clientOptions(Provider.AUTO)
                    .serverNameIndication("server.sslkit.test").build(), Timeout.millis(20_000))) {
                clientPort = client.sockname().getPort();
                roundTrip(client, "12345");
            }
            String line = proxy.out().await(l -> l.startsWith("client=127.0.0.1:" + clientPort + " "), WAIT)
                    .orElseThrow(() -> new AssertionError(proxy.out().text()));
            assertThat(line).contains(" sni=server.sslkit.test ", " protocol=tlsv1.3 ", " cipher=TLS_",
                    " backend=127.0.0.1:" + backend.port() + " ", " in=5 ", " out=5 ").endsWith(" outcome=ok");
        }
    }

    // ---- SNI routing -----------------------------------------------------------------------------------------

    /** A plain backend that greets each connection with its name, then echoes. */
    static final class NamedBackend implements AutoCloseable {
        final ServerSocket listener;

        NamedBackend(String name) throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Socket s = listener.accept();
                        Thread c = new Thread(() -> greetAndEcho(s, name), "named-backend-conn");
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "named-backend");
            t.setDaemon(true);
            t.start();
        }

        private static void greetAndEcho(Socket s, String name) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                out.write(("backend " + name + "\n").getBytes(StandardCharsets.US_ASCII));
                in.transferTo(out);
            } catch (IOException e) {
                // the client went away
            }
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    static HeldCertificate certFor(String name) {
        return HeldCertificate.builder().ecdsa256().commonName(name).addSubjectAlternativeName(name)
                .signedBy(pki.root).build();
    }

    static Path[] writeCert(String prefix, HeldCertificate cert) throws IOException {
        return new Path[] {pki.write(prefix + ".pem", cert.certificatePem()),
                pki.write(prefix + ".key", cert.privateKeyPkcs8Pem())};
    }

    @Test
    void routesByServerNameAndPassesTlsThrough() throws Exception {
        String openssl = Peers.require("openssl");
        Path[] api = writeCert("api", certFor("api.example.test"));
        Path[] wild = writeCert("wild", certFor("*.apps.example.test"));
        Path[] db = writeCert("db", certFor("db.example.test"));
        try (NamedBackend def = new NamedBackend("default");
             NamedBackend apiBackend = new NamedBackend("api");
             NamedBackend wildBackend = new NamedBackend("apps");
             Sslkit.Server tlsBackend = Sslkit.start("echo-server", "--port", "0", "--certfile", db[0].toString(),
                     "--keyfile", db[1].toString());
             Sslkit.Server proxy = Sslkit.start(proxyArgs(def.port(),
                     "--route", "api.example.test=" + api[0] + "," + api[1] + ",127.0.0.1:" + apiBackend.port(),
                     "--route", "*.apps.example.test=" + wild[0] + "," + wild[1] + ",127.0.0.1:" + wildBackend.port(),
                     "--passthrough", "db.example.test=127.0.0.1:" + tlsBackend.port()).toArray(String[]::new))) {
            assertThat(sClient(openssl, proxy.port(), "api.example.test", "hello")).contains("backend api", "hello");
            assertThat(sClient(openssl, proxy.port(), "x.apps.example.test", "hello")).contains("backend apps");
            assertThat(sClient(openssl, proxy.port(), "localhost", "hello")).contains("backend default");
            // pass-through: the certificate checked is the TLS backend's (the proxy holds no such certificate)
            assertThat(sClient(openssl, proxy.port(), "db.example.test", "through")).contains("through");
            assertThat(proxy.err().await(l -> l.contains(" passthrough db.example.test -> "), WAIT)).isPresent();
            assertThat(tlsBackend.err().await(l -> l.contains(" tlsv1.3 "), WAIT)).isPresent();
        }
    }

    /** {@code openssl s_client} with SNI {@code name}, verifying that name; sends a line; returns its stdout. */
    static String sClient(String openssl, int port, String name, String line) throws Exception {
        try (PeerProcess c = PeerProcess.start(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", name, "-verify_hostname", name, "-CAfile", pki.file("ca.pem").toString(),
                "-verify_return_error", "-brief"))) {
            c.stdin().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            c.stdin().flush();
            assertThat(c.out().await(line::equals, WAIT)).as("echo through %s: %s", name, c.err().text())
                    .isPresent();
            c.stdin().close();
            assertThat(c.awaitExit(WAIT)).as(c.err().text()).isZero();
            return c.out().text();
        }
    }

    // ---- certificate reload ----------------------------------------------------------------------------------

    /**
     * The certificate files change under a running proxy while a transfer is in flight: the transfer completes
     * byte-exact on its old connection, new handshakes see the new certificate, and a broken file keeps the
     * previous one with one error line.
     */
    @Test
    void certificateFilesAreReloadedWithoutDroppingConnections() throws Exception {
        Path dir = Files.createTempDirectory(pki.dir, "reload");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("cert.key");
        HeldCertificate before = pki.server;
        HeldCertificate after = HeldCertificate.builder().ecdsa256().commonName("after the reload")
                .addSubjectAlternativeName("localhost").signedBy(pki.root).build();
        replace(cert, before.certificatePem());
        replace(key, before.privateKeyPkcs8Pem());
        long half = 8L << 20;
        try (PlainEcho backend = new PlainEcho();
             Sslkit.Server proxy = Sslkit.start("proxy", "--listen", "0", "--connect", "127.0.0.1:" + backend.port(),
                     "--certfile", cert.toString(), "--keyfile", key.toString());
             Ssl ssl = Ssl.start();
             SslSocket longOne = connect(ssl, proxy.port())) {
            assertThat(longOne.peercert().certificate()).isEqualTo(before.certificate());
            CountDownLatch reloaded = new CountDownLatch(1);
            CompletableFuture<Long> transfer = echoTransfer(longOne, half, reloaded);

            replace(key, after.privateKeyPkcs8Pem());
            replace(cert, after.certificatePem());
            assertThat(proxy.err().await(l -> l.equals("reloaded"), WAIT)).isPresent();
            awaitNewCertificate(ssl, proxy, after);
            reloaded.countDown(); // the second half of the transfer runs after the reload

            int errorsBefore = count(proxy.err(), "reload error");
            replace(cert, "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
            assertThat(proxy.err().await(l -> l.startsWith("reload error ")
                    && count(proxy.err(), "reload error") > errorsBefore, WAIT)).isPresent();
            try (SslSocket fresh = connect(ssl, proxy.port())) {
                assertThat(fresh.peercert().certificate()).as("a broken file keeps the previous certificate")
                        .isEqualTo(after.certificate());
            }
            assertThat(transfer.get(60, TimeUnit.SECONDS)).isEqualTo(2 * half);
        }
    }

    /** The watcher may reload more than once per change (a write is several events): wait for the new one. */
    static void awaitNewCertificate(Ssl ssl, Sslkit.Server proxy, HeldCertificate expected) throws Exception {
        try (SslSocket fresh = connect(ssl, proxy.port())) {
            assertThat(fresh.peercert().certificate()).isEqualTo(expected.certificate());
        }
    }

    static int count(Lines lines, String prefix) {
        return (int) lines.lines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** Writes a file in one step (a rename), as deployment tools do, so that no reader sees half of it. */
    static void replace(Path file, String content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".new", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Sends {@code half} pattern bytes, waits for {@code between}, sends {@code half} more, reading the echo all
     * along and checking it byte for byte; returns the bytes echoed back.
     */
    static CompletableFuture<Long> echoTransfer(SslSocket s, long half, CountDownLatch between) {
        Pattern pattern = new Pattern(11);
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            long pos = 0;
            try {
                while (pos < 2 * half) {
                    byte[] got = s.recv(0, Timeout.millis(60_000));
                    assertThat(pattern.firstMismatch(got, pos)).isEqualTo(-1);
                    pos += got.length;
                }
            } catch (SslException e) {
                throw new IllegalStateException("after " + pos + " bytes", e);
            }
            return pos;
        });
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                for (long pos = 0; pos < 2 * half; pos += chunk.length) {
                    if (pos == half) {
                        assertThat(between.await(60, TimeUnit.SECONDS)).isTrue();
                    }
                    pattern.fill(chunk, 0, chunk.length, pos);
                    s.send(chunk);
                }
            } catch (SslException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return writer.thenCombine(reader, (w, n) -> n);
    }

    // ---- graceful stop, as a process -------------------------------------------------------------------------

    static PeerProcess sslkitProcess(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SslkitCommand.class.getName()));
        cmd.addAll(args);
        return PeerProcess.start(cmd);
    }

    /**
     * SIGHUP reloads; SIGTERM stops accepting at once, lets the transfer in flight finish, then the process exits 0.
     */
    @Test
    void sigtermDrainsTransfersInFlightAndSighupReloads() throws Exception {
        long half = 4L << 20;
        try (PlainEcho backend = new PlainEcho();
             PeerProcess proxy = sslkitProcess(proxyArgs(backend.port(), "--drain-timeout", "60000"));
             Ssl ssl = Ssl.start()) {
            int port = proxy.awaitListening(WAIT);
            assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(proxy.pid())).start().waitFor()).isZero();
            assertThat(proxy.err().await("reloaded"::equals, WAIT)).as(proxy.err().text()).isPresent();
            try (SslSocket client = connect(ssl, port)) {
                CountDownLatch terminated = new CountDownLatch(1);
                CompletableFuture<Long> transfer = echoTransfer(client, half, terminated);
                proxy.terminate();
                assertThat(proxy.err().await(l -> l.startsWith("draining 1 "), WAIT)).as(proxy.err().text())
                        .isPresent();
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                        .as("no longer accepting").isInstanceOf(ConnectException.class);
                terminated.countDown();
                assertThat(transfer.get(60, TimeUnit.SECONDS)).isEqualTo(2 * half);
                client.close();
                assertThat(proxy.awaitExit(WAIT)).isZero();
                assertThat(proxy.err().lines()).contains("stopped");
            }
        }
    }

    @Test
    void theDrainTimeoutClosesWhatIsLeftWithCloseNotify() throws Exception {
        try (PlainEcho backend = new PlainEcho();
             PeerProcess proxy = sslkitProcess(proxyArgs(backend.port(), "--drain-timeout", "200"));
             Ssl ssl = Ssl.start()) {
            int port = proxy.awaitListening(WAIT);
            try (SslSocket client = connect(ssl, port)) {
                roundTrip(client, "before the stop");
                proxy.terminate();
                assertThat(reasonOf(() -> client.recv(0, Timeout.millis(WAIT.toMillis())))).isEqualTo(Reason.CLOSED);
                assertThat(client.connectionInfo().peerClose()).isEqualTo(ConnectionInfo.PeerClose.CLOSE_NOTIFY);
                assertThat(proxy.awaitExit(WAIT)).isZero();
                assertThat(proxy.err().lines()).contains("stopped, closed 1 at the drain timeout");
            }
        }
    }

    static byte[] bytes(String s) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), s.length());
    }
}
