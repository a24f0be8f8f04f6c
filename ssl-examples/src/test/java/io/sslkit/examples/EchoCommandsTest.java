package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.TestPki;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sslkit echo-server} and {@code echo-client} as scripts drive them: flags, output lines, exit codes. */
class EchoCommandsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    static List<String> server(String... flags) {
        List<String> a = new ArrayList<>(List.of("echo-server", "--port", "0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString()));
        a.addAll(List.of(flags));
        return a;
    }

    static Sslkit.Run client(int port, String... flags) {
        List<String> a = new ArrayList<>(List.of("echo-client", "--host", "localhost", "--port",
                Integer.toString(port), "--cacertfile", pki.file("ca.pem").toString()));
        a.addAll(List.of(flags));
        return Sslkit.run(a.toArray(String[]::new));
    }

    @ParameterizedTest(name = "packet {0}, server active {1}, {2}")
    @CsvSource({
        "raw,  false, openssl", "raw,  true, jdk", "4, once, openssl", "2, 3, jdk", "1, false, jdk",
        "line, once, openssl", "line, 2, jdk"})
    void echoesEveryByteInEachMode(String packet, String active, String provider) throws Exception {
        try (Sslkit.Server s = Sslkit.start(server("--packet", packet, "--active", active, "--provider", provider)
                .toArray(String[]::new))) {
            Sslkit.Run run = client(s.port(), "--packet", packet, "--bytes", "3M", "--provider", provider);
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.firstLine()).matches("ok \\d+ tlsv1\\.3 TLS_\\w+");
            assertThat(run.err().text()).contains("MiB/s");
            assertThat(s.err().awaitPrefix("127.0.0.1:", WAIT)).hasValueSatisfying(
                    l -> assertThat(l).matches("127\\.0\\.0\\.1:\\d+ tlsv1\\.3 TLS_\\w+ " + provider));
        }
    }

    @Test
    void messageAndLineFraming() throws Exception {
        try (Sslkit.Server s = Sslkit.start(server("--packet", "line").toArray(String[]::new))) {
            Sslkit.Run run = client(s.port(), "--packet", "line", "--message", "héllo wörld");
            assertThat(run.firstLine()).as("%s", run).startsWith("ok 14 "); // UTF-8 bytes + the added newline
            Sslkit.Run lines = client(s.port(), "--packet", "line", "--bytes", "100");
            assertThat(lines.firstLine()).as("%s", lines).startsWith("ok 128 "); // whole 64-byte lines
        }
    }

    @Test
    void servesManyConnectionsAtOnce() throws Exception {
        try (Sslkit.Server s = Sslkit.start(server().toArray(String[]::new))) {
            ExecutorService pool = Threads.perTask("test-client");
            try {
                List<Future<Sslkit.Run>> runs = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    runs.add(pool.submit(() -> client(s.port(), "--bytes", "2M", "--verify", "verify_peer")));
                }
                for (Future<Sslkit.Run> f : runs) {
                    Sslkit.Run r = f.get(60, TimeUnit.SECONDS);
                    assertThat(r.exitCode()).as("%s", r).isZero();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(s.err().lines()).hasSize(12).allMatch(l -> l.contains(" tlsv1.3 "));
        }
    }

    @ParameterizedTest(name = "client {0}")
    @CsvSource({"openssl", "jdk"})
    void halfCloseEchoesTheRestThenEnds(String clientProvider) throws Exception {
        // JDK server: with BoringSSL the server's sends fail intermittently after a client's FIN (reported).
        try (Sslkit.Server s = Sslkit.start(server("--provider", "jdk").toArray(String[]::new))) {
            for (String v : List.of("tlsv1.3", "tlsv1.2")) {
                Sslkit.Run run = client(s.port(), "--half-close", "--bytes", "4M", "--provider", clientProvider,
                        "--versions", v);
                assertThat(run.exitCode()).as("%s", run).isZero();
                assertThat(run.firstLine()).startsWith("ok 4194304 " + v);
            }
        }
    }

    @Test
    void renegotiatesOnTls12AndUpdatesKeysOnTls13() throws Exception {
        try (Sslkit.Server s = Sslkit.start(server("--provider", "jdk").toArray(String[]::new))) {
            for (String v : List.of("tlsv1.2", "tlsv1.3")) {
                // --provider auto: --renegotiate picks the JDK engine, the only one that can
                Sslkit.Run run = client(s.port(), "--renegotiate", "--bytes", "8M", "--versions", v);
                assertThat(run.exitCode()).as("%s", run).isZero();
                assertThat(run.firstLine()).startsWith("ok 8388608 " + v);
                assertThat(run.err().text()).contains("(jdk");
            }
        }
    }

    @Test
    void renegotiationRefusedByBoringSslServerIsAnError() throws Exception {
        try (Sslkit.Server s = Sslkit.start(server("--provider", "openssl", "--versions", "tlsv1.2")
                .toArray(String[]::new))) {
            Sslkit.Run run = client(s.port(), "--renegotiate", "--bytes", "1M");
            assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
            assertThat(run.errorLine()).startsWith("error ");
        }
    }

    @Test
    void failuresPrintTheFormattedReasonOnStderrAndExit1() throws Exception {
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        Sslkit.Run refused = client(closedPort, "--bytes", "10");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().lines()).containsExactly("error connection refused");
        assertThat(refused.out().lines()).isEmpty();

        try (Sslkit.Server s = Sslkit.start(server().toArray(String[]::new))) {
            Sslkit.Run untrusted = Sslkit.run("echo-client", "--host", "localhost", "--port",
                    Integer.toString(s.port()), "--cacertfile", TestPki.rsa().file("ca.pem").toString());
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.err().lines()).singleElement().asString().startsWith("error TLS client: ");
            assertThat(s.err().awaitPrefix("127.0.0.1:", WAIT)).hasValueSatisfying(
                    l -> assertThat(l).contains(" error TLS server: received CLIENT ALERT"));
        }
    }

    @Test
    void usageErrorsExit2() {
        assertThat(Sslkit.run("echo-client", "--port", "1").exitCode()).isEqualTo(2); // no --host
        assertThat(Sslkit.run("echo-client", "--host", "h", "--port", "1", "--packet", "http").exitCode())
                .isEqualTo(2);
        assertThat(Sslkit.run("echo-client", "--host", "h", "--port", "1", "--bytes", "0").exitCode()).isEqualTo(2);
        assertThat(Sslkit.run("echo-client", "--host", "h", "--port", "1", "--bytes", "1", "--message", "x")
                .exitCode()).isEqualTo(2);
        assertThat(Sslkit.run("echo-server", "--port", "0", "--verify", "maybe").exitCode()).isEqualTo(2);
        assertThat(Sslkit.run("echo-server", "--port", "0", "--active", "0").exitCode()).isEqualTo(2);
        assertThat(Sslkit.run("proxy", "--listen", "0", "--connect", "nohostport").exitCode()).isEqualTo(2);
    }

    @Test
    void selfSignedServerForVerifyNoneClients() throws Exception {
        try (Sslkit.Server s = Sslkit.start("echo-server", "--port", "0")) {
            Sslkit.Run run = Sslkit.run("echo-client", "--host", "127.0.0.1", "--port", Integer.toString(s.port()),
                    "--verify", "verify_none", "--message", "hi");
            assertThat(run.firstLine()).as("%s", run).startsWith("ok 2 ");
        }
    }

    /** The real {@code main} in a JVM of its own: the {@code listening} line, and exit codes through System.exit. */
    @Test
    void mainInAChildJvm() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> serverCmd = new ArrayList<>(List.of(java, "-cp", cp, SslkitCommand.class.getName()));
        serverCmd.addAll(server());
        Process server = new ProcessBuilder(serverCmd).redirectErrorStream(false).start();
        try {
            Lines out = new Lines();
            Async.run(() -> copy(server.getInputStream(), out));
            String listening = out.awaitPrefix("", WAIT).orElseThrow();
            assertThat(listening).matches("listening \\d+");
            String port = listening.substring("listening ".length());
            Process client = new ProcessBuilder(java, "-cp", cp, SslkitCommand.class.getName(), "echo-client",
                    "--host", "localhost", "--port", port, "--cacertfile", pki.file("ca.pem").toString(),
                    "--message", "from a child JVM").redirectErrorStream(true).start();
            try {
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String output = new String(client.getInputStream().readAllBytes());
                assertThat(client.exitValue()).as(output).isZero();
                assertThat(output).startsWith("ok 16 tlsv1.3 ");
            } finally {
                client.destroyForcibly();
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void copy(java.io.InputStream in, Lines to) {
        try (java.io.Reader r = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8)) {
            char[] buf = new char[1024];
            int n;
            while ((n = r.read(buf)) >= 0) {
                to.write(buf, 0, n);
            }
        } catch (java.io.IOException e) {
            // process ended
        } finally {
            to.close();
        }
    }

    @Test
    void echoDataDetectsTheFirstWrongByte() {
        EchoData d = EchoData.random(5_000_000, 42);
        byte[] chunk = new byte[300_000];
        long pos = EchoData.PERIOD - 1000; // spans the block's wrap-around
        d.slice(pos, chunk.length).get(chunk, 0, Math.min(chunk.length, EchoData.PERIOD));
        assertThat(d.mismatch(chunk, pos)).isEqualTo(-1);
        chunk[123_456] ^= 1;
        assertThat(d.mismatch(chunk, pos)).isEqualTo(123_456);
        assertThat(d.mismatch(new byte[10], d.size() - 5)).isBetween(0, 9); // past the end never matches
        EchoData lines = EchoData.lines(100, 1);
        assertThat(lines.size()).isEqualTo(128);
        byte[] all = new byte[128];
        lines.slice(0, 128).get(all);
        assertThat(all[63]).isEqualTo((byte) '\n');
        assertThat(all[127]).isEqualTo((byte) '\n');
    }

    @Test
    void threadPerTaskRunsTasks() throws Exception {
        ExecutorService e = Threads.perTask("t");
        try {
            ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                fs.add(e.submit(() -> seen.put(Thread.currentThread().getName() + Thread.currentThread().getId(),
                        true)));
            }
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(Threads.virtual()).isEqualTo(Runtime.version().feature() >= 21);
        } finally {
            e.shutdownNow();
        }
    }
}
