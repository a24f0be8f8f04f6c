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

/**
 * {@code gnutls-cli} against sslkit's echo-server. ({@code gnutls-serv --echo} is no byte-exact echo server: it takes
 * some input as commands, so sslkit's client is checked against OpenSSL's and Erlang's servers instead.)
 */
@ExtendWith(MatrixReport.class)
class GnuTlsInteropTest {

    static TestPki pki;

    @BeforeAll
    static void pki() throws java.io.IOException {
        pki = TestPki.ec(); // PKCS#8 EC keys with their public key: GnuTLS 3.7 refuses them without
    }

    static String priority(String version) {
        return "NORMAL:-VERS-ALL:+VERS-TLS" + (version.equals("tlsv1.3") ? "1.3" : "1.2");
    }

    @TestFactory
    Stream<DynamicTest> gnutlsCliToSslkitServer() {
        return CliPeers.verifiedAndClientCertificate("tlsv1.2",
                List.of("--verify", "verify_peer", "--fail-if-no-peer-cert", "--cacertfile", file("ca.pem")),
                List.of("--x509certfile", file("client.pem"), "--x509keyfile", file("client.key")),
                this::cli).stream();
    }

    private DynamicTest cli(String what, String provider, String version, List<String> serverFlags,
                            List<String> clientFlags) {
        return Matrix.test("gnutls-cli", "echo-server", what, version, provider, () -> {
            String gnutls = Peers.require("gnutls-cli");
            return CliPeers.echoThroughServer(CliPeers.echoServer(pki, provider, version, serverFlags), port -> {
                List<String> cmd = new ArrayList<>(List.of(gnutls, "--x509cafile", file("ca.pem"),
                        "--priority", priority(version), "-p", Integer.toString(port), "localhost"));
                cmd.addAll(clientFlags);
                return cmd;
            }, c -> {
                assertThat(c.out().text()).contains("The certificate is trusted");
                return c.out().awaitPrefix("- Description: ", CliPeers.TIMEOUT).orElse("?").substring(2);
            });
        });
    }

    static String file(String name) {
        return pki.file(name).toString();
    }
}
