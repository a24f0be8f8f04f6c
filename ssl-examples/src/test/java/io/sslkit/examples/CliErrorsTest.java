package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.netty.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of the {@code sslkit} command is one line on stderr, {@code error <text>}, with exit code 2 for a
 * usage error and 1 for a runtime failure; nothing goes to stdout and no usage text or stack trace follows.
 */
class CliErrorsTest {

    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    private static void assertOneLine(Sslkit.Run run, int exitCode, String line) {
        assertThat(run.exitCode()).as("%s", run).isEqualTo(exitCode);
        assertThat(run.err().lines()).as("%s", run).containsExactly(line);
        assertThat(run.out().lines()).as("%s", run).isEmpty();
    }

    @Test
    void noArgumentsPrintsTheUsageOnStderrAndExits2() {
        Sslkit.Run run = Sslkit.run();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out().lines()).isEmpty();
        assertThat(run.err().lines().get(0)).startsWith("Usage: sslkit ");
        assertThat(run.err().text()).contains("certs", "demo", "echo-server", "echo-client", "proxy",
                "Exit codes: 0 success, 1 a TLS, network or data failure, 2 a usage error.");
    }

    @Test
    void demoWithAnUnknownProviderIsAUsageError() {
        assertOneLine(Sslkit.run("demo", "--provider", "foo"), 2, "error Invalid value for option '--provider' (P): "
                + "'foo' is not auto, openssl or jdk; try 'sslkit demo --help'");
    }

    @Test
    void demoWithANegativeSizeIsAUsageError() {
        assertOneLine(Sslkit.run("demo", "--megabytes", "-5"), 2, "error Invalid value for option '--megabytes': "
                + "'-5' is not a number of MiB (1..1048576); try 'sslkit demo --help'");
    }

    @Test
    void aBadFlagValueIsOneLineWithoutTheUsage() {
        assertOneLine(Sslkit.run("echo-server", "--port", "abc"), 2, "error Invalid value for option '--port': "
                + "'abc' is not a port (0..65535); try 'sslkit echo-server --help'");
        assertOneLine(Sslkit.run("echo-client", "--host", "localhost", "--port", "0"), 2, "error Invalid value for "
                + "option '--port': '0' is not a port (1..65535); try 'sslkit echo-client --help'");
        assertOneLine(Sslkit.run("echo-server", "--port", "0", "--verify", "maybe"), 2, "error Invalid value for "
                + "option '--verify': 'maybe' is not verify_none or verify_peer; try 'sslkit echo-server --help'");
        assertOneLine(Sslkit.run("echo-server", "--prot", "0"), 2, "error Missing required option: '--port=N'; "
                + "try 'sslkit echo-server --help'");
        assertOneLine(Sslkit.run("echo-server", "--port", "0", "--prot", "1"), 2, "error Unknown options: "
                + "'--prot', '1' (did you mean --provider?); try 'sslkit echo-server --help'");
    }

    @Test
    void aMissingCertificateFileIsAUsageError() {
        assertOneLine(Sslkit.run("echo-server", "--port", "0", "--certfile", "/nonexistent/cert.pem"), 2,
                "error Invalid value for option '--certfile': /nonexistent/cert.pem: no such file; "
                        + "try 'sslkit echo-server --help'");
        assertOneLine(Sslkit.run("echo-client", "--host", "localhost", "--port", "1", "--cacertfile", "/"), 2,
                "error Invalid value for option '--cacertfile': /: not a file; try 'sslkit echo-client --help'");
    }

    @Test
    void aBrokenPemFileIsARuntimeFailure(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        // OTP 25's format_error for {options, {certfile, File, Error}}
        assertOneLine(Sslkit.run("echo-server", "--port", "0", "--certfile", broken.toString()), 1,
                "error Invalid certificate file " + broken + ": decoding error");
    }

    @Test
    void optionsTheLibraryRefusesAreUsageErrors() {
        Sslkit.Run run = Sslkit.run("echo-server", "--port", "0", "--versions", "tlsv9");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.err().lines()).singleElement().asString().startsWith("error Invalid TLS option: ")
                .endsWith("; try 'sslkit echo-server --help'");
    }

    @Test
    void aBusyPortIsEaddrinuseForTheEchoServerAndTheProxy() throws Exception {
        try (Sslkit.Server s = Sslkit.start("echo-server", "--port", "0")) {
            String busy = Integer.toString(s.port());
            assertOneLine(Sslkit.run("echo-server", "--port", busy), 1, "error address already in use");
            assertOneLine(Sslkit.run("proxy", "--listen", busy, "--connect", "localhost:1"), 1,
                    "error address already in use");
        }
    }

    @Test
    void aRefusedConnectionIsOneLine() throws Exception {
        int closed;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        assertOneLine(Sslkit.run("echo-client", "--host", "localhost", "--port", Integer.toString(closed),
                "--cacertfile", pki.file("ca.pem").toString()), 1, "error connection refused");
    }

    /** The real {@code main}: exit codes through {@code System.exit}, the line on the process's stderr. */
    @Test
    void mainExitsWithTheCodeAndWritesTheLineToStderr() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "-cp", cp, SslkitCommand.class.getName(), "demo", "--provider", "foo")
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err).isEqualTo("error Invalid value for option '--provider' (P): 'foo' is not auto, openssl or "
                + "jdk; try 'sslkit demo --help'" + System.lineSeparator());
    }

    @Test
    void helpStillGoesToStdoutWithExit0() {
        Sslkit.Run run = Sslkit.run("echo-client", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out().text()).contains("--[no-]progress", "--bytes");
        assertThat(run.err().lines()).isEmpty();
        assertThat(List.of(Cli.OK, Cli.FAILURE, Cli.USAGE)).containsExactly(0, 1, 2);
    }
}
