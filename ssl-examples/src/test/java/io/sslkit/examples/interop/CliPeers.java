package io.sslkit.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.examples.Sslkit;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DynamicTest;

/**
 * What the interop tests share: sslkit's echo-server on the test PKI, sending a line through a command-line client,
 * free ports, retries.
 */
public final class CliPeers {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CliPeers() {
    }

    /** Makes one case of a command-line peer, with flags for its server side and its client side. */
    @FunctionalInterface
    interface CaseFactory {
        DynamicTest of(String what, String provider, String version, List<String> serverFlags,
                       List<String> clientFlags);
    }

    /**
     * The cases every command-line peer runs: {@code verified, echo} for each provider and TLS version, then
     * {@code client certificate} for each provider at {@code certVersion}, with those flags. A mutable list, for the
     * peer's own cases.
     */
    static List<DynamicTest> verifiedAndClientCertificate(String certVersion, List<String> certServerFlags,
                                                          List<String> certClientFlags, CaseFactory cases) {
        List<DynamicTest> tests = new ArrayList<>();
        for (String p : Matrix.PROVIDERS) {
            for (String v : Matrix.VERSIONS) {
                tests.add(cases.of("verified, echo", p, v, List.of(), List.of()));
            }
            tests.add(cases.of("client certificate", p, certVersion, certServerFlags, certClientFlags));
        }
        return tests;
    }

    /** What a case reports of a command-line client that echoed its line (the suite it negotiated, ...). */
    @FunctionalInterface
    interface Detail {
        String of(PeerProcess client) throws Exception;
    }

    /**
     * {@code sslkit echo-server} arguments: any free port, the test PKI's server certificate and key, one provider and
     * one TLS version, then {@code flags}.
     */
    static String[] echoServer(TestPki pki, String provider, String version, List<String> flags) {
        List<String> args = new ArrayList<>(List.of("echo-server", "--port", "0", "--certfile",
                pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString(), "--provider",
                provider, "--versions", version));
        args.addAll(flags);
        return args.toArray(String[]::new);
    }

    /**
     * Starts {@code sslkit echo-server} with {@code serverArgs}, runs the command-line client {@code client(port)}
     * against it, sends a line of digits through it ({@link #echoLine}) and returns {@code detail} of the client.
     */
    static String echoThroughServer(String[] serverArgs, IntFunction<List<String>> client, Detail detail)
            throws Exception {
        try (Sslkit.Server s = Sslkit.start(serverArgs); PeerProcess c = PeerProcess.start(client.apply(s.port()))) {
            echoLine(c, digits(3000));
            return detail.of(c);
        }
    }

    /** A line of digits only: {@code s_server} takes a read of one or two bytes starting with a letter as a command. */
    static String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + (i * 7 + i / 10) % 10));
        }
        return sb.toString();
    }

    /**
     * Writes {@code line} to a command-line client's stdin, waits for it to come back on stdout, then closes stdin
     * (the client ends the connection) and expects exit code 0.
     */
    static void echoLine(PeerProcess client, String line) throws IOException, InterruptedException {
        OutputStream in = client.stdin();
        in.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        boolean echoed = client.out().await(line::equals, TIMEOUT).isPresent();
        in.close();
        int code = client.awaitExit(TIMEOUT);
        assertThat(echoed).as("echo of the line; %s\nstdout: %s\nstderr: %s", client, client.out().text(),
                client.err().text()).isTrue();
        assertThat(code).as("exit code of %s\nstderr: %s", client, client.err().text()).isZero();
    }

    /** A port that was free a moment ago (for peers that cannot report the port they bound). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /**
     * Runs {@code sslkit echo-client} against a peer server that was just started and prints no sign when it listens
     * ({@code s_server -quiet}): first waits until the kernel shows a socket listening on {@code port}.
     */
    static Sslkit.Run echoClient(int port, List<String> flags) {
        awaitListening(port);
        List<String> args = new ArrayList<>(List.of("echo-client", "--host", "localhost", "--port",
                Integer.toString(port)));
        args.addAll(flags);
        return Sslkit.run(args.toArray(String[]::new));
    }

    /** Waits (up to {@link #TIMEOUT}) until a TCP socket of this machine listens on {@code port} (Linux /proc). */
    public static void awaitListening(int port) {
        String hexPort = String.format(":%04X ", port);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!listening(hexPort)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing listens on port " + port + " after " + TIMEOUT);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Whether /proc/net/tcp or tcp6 has a socket in state LISTEN (0A) whose local address ends in the port. */
    private static boolean listening(String hexPort) {
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && (f[1] + " ").endsWith(hexPort) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table, e);
            }
        }
        return false;
    }

    /** {@code ok <bytes> <protocol> <cipher>} expected from echo-client; returns that line. */
    static String expectOk(Sslkit.Run run, String version, PeerProcess server) {
        assertThat(run.exitCode()).as("%s\nserver stderr: %s", run, server.err().text()).isZero();
        assertThat(run.firstLine()).startsWith("ok ").contains(version);
        return run.firstLine();
    }
}
