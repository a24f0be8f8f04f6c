package io.sslkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.examples.interop.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sslkit certs} makes files the other commands and OpenSSL accept; {@code --progress} shows a transfer. */
class CertsAndProgressTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final List<String> FILES = List.of("ca.pem", "ca.key", "server.pem", "server.key", "client.pem",
            "client.key");

    @ParameterizedTest(name = "--key {0}")
    @ValueSource(strings = {"ecdsa", "rsa"})
    void certsMakesAWorkingCaServerAndClient(String key, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("certs");
        Sslkit.Run made = Sslkit.run("certs", "--out", dir.toString(), "--key", key, "--host", "example.test",
                "--days", "7");
        assertThat(made.exitCode()).as("%s", made).isZero();
        assertThat(made.out().lines()).containsExactlyElementsOf(
                FILES.stream().map(f -> "wrote " + dir.resolve(f)).toList());
        assertThat(Files.getPosixFilePermissions(dir.resolve("server.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        String f = dir + "/";
        try (Sslkit.Server s = Sslkit.start("echo-server", "--port", "0", "--certfile", f + "server.pem",
                "--keyfile", f + "server.key", "--cacertfile", f + "ca.pem", "--verify", "verify_peer",
                "--fail-if-no-peer-cert")) {
            Sslkit.Run run = Sslkit.run("echo-client", "--host", "localhost", "--port", Integer.toString(s.port()),
                    "--cacertfile", f + "ca.pem", "--certfile", f + "client.pem", "--keyfile", f + "client.key",
                    "--message", "hello");
            assertThat(run.exitCode()).as("%s", run).isZero();
            assertThat(run.firstLine()).startsWith("ok 5 tlsv1.3 ");
            // the client's certificate was asked for, checked and accepted
            assertThat(s.err().awaitPrefix("127.0.0.1:", WAIT)).hasValueSatisfying(
                    l -> assertThat(l).doesNotContain("error"));
            Sslkit.Run byIp = Sslkit.run("echo-client", "--host", "127.0.0.1", "--port", Integer.toString(s.port()),
                    "--cacertfile", f + "ca.pem", "--certfile", f + "client.pem", "--keyfile", f + "client.key",
                    "--message", "hi");
            assertThat(byIp.exitCode()).as("%s", byIp).isZero();
        }

        String openssl = Peers.require("openssl");
        Process verify = new ProcessBuilder(openssl, "verify", "-CAfile", f + "ca.pem", "-purpose", "sslserver",
                f + "server.pem").redirectErrorStream(true).start();
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(verify.getInputStream().readAllBytes()).strip();
        assertThat(verify.exitValue()).as(said).isZero();
        assertThat(said).isEqualTo(f + "server.pem: OK");
        Process names = new ProcessBuilder(openssl, "x509", "-in", f + "server.pem", "-noout", "-ext",
                "subjectAltName").redirectErrorStream(true).start();
        assertThat(names.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(names.getInputStream().readAllBytes()))
                .contains("DNS:localhost, IP Address:127.0.0.1, DNS:example.test");
    }

    @Test
    void certsRefusesToOverwriteWithoutForce(@TempDir Path dir) throws Exception {
        assertThat(Sslkit.run("certs", "--out", dir.toString()).exitCode()).isZero();
        String ca = Files.readString(dir.resolve("ca.pem"));
        Sslkit.Run again = Sslkit.run("certs", "--out", dir.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err().lines()).containsExactly("error " + dir.resolve("ca.pem")
                + " exists (--force overwrites it)");
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        Sslkit.Run forced = Sslkit.run("certs", "--out", dir.toString(), "--force");
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(Files.readString(dir.resolve("ca.pem"))).isNotEqualTo(ca);
        assertThat(Sslkit.run("certs", "--out", dir.toString(), "--days", "0").err().lines()).containsExactly(
                "error Invalid value for option '--days': '0' is not a number of days (1..36500); "
                        + "try 'sslkit certs --help'");
        assertThat(Sslkit.run("certs", "--out", dir.toString(), "--key", "dsa").exitCode()).isEqualTo(2);
    }

    @Test
    void echoClientShowsProgressWhenAsked() throws Exception {
        try (Sslkit.Server s = Sslkit.start("echo-server", "--port", "0")) {
            Sslkit.Run run = Sslkit.run("echo-client", "--host", "localhost", "--port", Integer.toString(s.port()),
                    "--verify", "verify_none", "--bytes", "3M", "--progress");
            assertThat(run.exitCode()).as("%s", run).isZero();
            List<String> progress = run.err().lines().stream().filter(l -> l.startsWith("progress ")).toList();
            assertThat(progress).isNotEmpty().allMatch(l -> l.matches(
                    "progress \\d+\\.\\d MiB / 3\\.0 MiB \\(\\d+%\\), \\d+\\.\\d MiB/s, eta ((\\d+[hms])+|\\?)"));
            assertThat(progress.get(progress.size() - 1)).startsWith("progress 3.0 MiB / 3.0 MiB (100%), ")
                    .endsWith(", eta 0s");
            // without --progress, and stderr not a terminal: none
            Sslkit.Run quiet = Sslkit.run("echo-client", "--host", "localhost", "--port", Integer.toString(s.port()),
                    "--verify", "verify_none", "--bytes", "3M");
            assertThat(quiet.err().lines()).noneMatch(l -> l.startsWith("progress"));
        }
    }

    @Test
    void demoRunsAndShowsProgressWhenAsked() {
        Sslkit.Run run = Sslkit.run("demo", "--megabytes", "2", "--provider", "jdk", "--progress");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.out().text()).contains("throughput, one connection").containsPattern("jdk +tlsv1\\.3 ");
        for (String version : List.of("tlsv1.3", "tlsv1.2")) {
            assertThat(run.err().lines()).anyMatch(
                    l -> l.startsWith("jdk " + version + ": progress 2.0 MiB / 2.0 MiB (100%), "));
        }
    }
}
