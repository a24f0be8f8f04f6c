package io.sslkit.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.netty.testing.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code openssl s_client} against sslkit's echo-server and sslkit's echo-client against {@code openssl s_server}. */
@ExtendWith(MatrixReport.class)
class OpenSslInteropTest {

    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    @TestFactory
    Stream<DynamicTest> sClientToSslkitServer() {
        return CliPeers.verifiedAndClientCertificate("tlsv1.3",
                List.of("--verify", "verify_peer", "--fail-if-no-peer-cert", "--cacertfile", file("ca.pem")),
                List.of("-cert", file("client.pem"), "-key", file("client.key")), this::sClient).stream();
    }

    private DynamicTest sClient(String what, String provider, String version, List<String> serverFlags,
                                List<String> clientFlags) {
        return Matrix.test("openssl s_client", "echo-server", what, version, provider, () -> {
            String openssl = Peers.require("openssl");
            return CliPeers.echoThroughServer(CliPeers.echoServer(pki, provider, version, serverFlags), port -> {
                List<String> cmd = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port,
                        "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", file("ca.pem"),
                        "-verify_return_error", "-brief", version.equals("tlsv1.3") ? "-tls1_3" : "-tls1_2"));
                cmd.addAll(clientFlags);
                return cmd;
            }, c -> {
                assertThat(c.err().text()).contains("Verification: OK")
                        .contains("Protocol version: " + (version.equals("tlsv1.3") ? "TLSv1.3" : "TLSv1.2"));
                return c.err().awaitPrefix("Ciphersuite: ", CliPeers.TIMEOUT).orElse("?");
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> sslkitClientToSServer() {
        List<DynamicTest> tests = CliPeers.verifiedAndClientCertificate("tlsv1.3",
                List.of("-Verify", "1", "-CAfile", file("ca.pem"), "-verify_return_error"),
                List.of("--certfile", file("client.pem"), "--keyfile", file("client.key")), this::sServer);
        // OpenSSL 3 servers refuse client-initiated renegotiation unless told otherwise.
        tests.add(sServer("sslkit client renegotiates mid-stream", "jdk", "tlsv1.2",
                List.of("-client_renegotiation"), List.of("--renegotiate")));
        tests.add(sServer("sslkit client update_keys(write) mid-stream", "jdk", "tlsv1.3", List.of(),
                List.of("--renegotiate")));
        return tests.stream();
    }

    private DynamicTest sServer(String what, String provider, String version, List<String> serverFlags,
                                List<String> clientFlags) {
        return Matrix.test("openssl s_server", "echo-client", what, version, provider, () -> {
            String openssl = Peers.require("openssl");
            int port = CliPeers.freePort();
            List<String> cmd = new ArrayList<>(List.of(openssl, "s_server", "-accept", Integer.toString(port),
                    "-cert", file("server.pem"), "-key", file("server.key"), "-quiet",
                    version.equals("tlsv1.3") ? "-tls1_3" : "-tls1_2"));
            cmd.addAll(serverFlags);
            // s_server -quiet prints what it receives and sends what it reads: echoed through a pipe
            try (PeerProcess server = PeerProcess.startEcho(cmd)) {
                List<String> flags = new ArrayList<>(List.of("--cacertfile", file("ca.pem"), "--provider",
                        provider, "--versions", version, "--message", CliPeers.digits(5000)));
                flags.addAll(clientFlags);
                return CliPeers.expectOk(CliPeers.echoClient(port, flags), version, server);
            }
        });
    }

    static String file(String name) {
        return pki.file(name).toString();
    }
}
