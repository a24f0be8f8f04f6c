package io.sslkit.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.examples.ProxyTest;
import io.sslkit.examples.Sslkit;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PROXY protocol with real peers: HAProxy in front of {@code sslkit proxy --accept-proxy} (sending v2) and
 * behind {@code sslkit proxy --send-proxy v2} (accepting it), and the v2 TLVs decoded by Netty's decoder.
 */
class ProxyProtocolInteropTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static TestPki pki;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static PeerProcess haproxy(String config) throws IOException {
        String haproxy = Peers.require("haproxy");
        Path cfg = Files.createTempFile("haproxy", ".cfg");
        cfg.toFile().deleteOnExit();
        Files.writeString(cfg, """
                global
                  log stdout format raw local0
                defaults
                  mode tcp
                  log global
                  timeout connect 5s
                  timeout client 30s
                  timeout server 30s
                """ + config);
        return PeerProcess.start(List.of(haproxy, "-db", "-f", cfg.toString()));
    }

    @Test
    void haproxyInFrontSendsV2AndTheProxyLogsTheRealClient() throws Exception {
        int front = freePort();
        try (ProxyTest.PlainEcho backend = new ProxyTest.PlainEcho();
             Sslkit.Server proxy = Sslkit.start("proxy", "--listen", "0", "--connect", "127.0.0.1:" + backend.port(),
                     "--certfile", pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString(),
                     "--accept-proxy");
             PeerProcess lb = haproxy("frontend f\n  bind 127.0.0.1:" + front + "\n  default_backend b\n"
                     + "backend b\n  server s 127.0.0.1:" + proxy.port() + " send-proxy-v2\n");
             Ssl ssl = Ssl.start()) {
            CliPeers.awaitListening(front);
            try (SslSocket client = ssl.connect("localhost", front, pki.clientOptions(Provider.AUTO).build(),
                    Timeout.millis(20_000))) {
                client.send("through haproxy");
                assertThat(new String(client.recv(15, Timeout.millis(30_000)), StandardCharsets.US_ASCII))
                        .isEqualTo("through haproxy");
                int clientPort = client.sockname().getPort();
                // the proxy's peer is HAProxy's socket; the header names the client's own port
                assertThat(proxy.err().await(l -> l.startsWith("127.0.0.1:" + clientPort + " tlsv1.3 "), WAIT))
                        .as(proxy.err().text()).isPresent();
            }
        }
    }

    @Test
    void haproxyBehindAcceptsTheV2HeaderWithTheSni() throws Exception {
        int lbPort = freePort();
        try (ProxyTest.PlainEcho backend = new ProxyTest.PlainEcho();
             PeerProcess lb = haproxy("frontend f\n  bind 127.0.0.1:" + lbPort + " accept-proxy\n"
                     + "  log-format \"pp client=%ci:%cp authority=%[fc_pp_authority]\"\n"
                     + "  default_backend b\nbackend b\n  server s 127.0.0.1:" + backend.port() + "\n");
             Sslkit.Server proxy = Sslkit.start("proxy", "--listen", "0", "--connect", "127.0.0.1:" + lbPort,
                     "--certfile", pki.file("server.pem").toString(), "--keyfile", pki.file("server.key").toString(),
                     "--send-proxy", "v2");
             Ssl ssl = Ssl.start()) {
            CliPeers.awaitListening(lbPort);
            int clientPort;
            try (SslSocket client = ssl.connect("localhost", proxy.port(), pki.clientOptions(Provider.AUTO)
                    .serverNameIndication("server.sslkit.test").build(), Timeout.millis(20_000))) {
                clientPort = client.sockname().getPort();
                client.send("to haproxy");
                assertThat(new String(client.recv(10, Timeout.millis(30_000)), StandardCharsets.US_ASCII))
                        .isEqualTo("to haproxy");
            }
            assertThat(lb.out().await(l -> l.equals("pp client=127.0.0.1:" + clientPort + " authority=server.sslkit.test"),
                    WAIT)).as(lb.out().text() + lb.err().text()).isPresent();
        }
    }

    /** What a backend receives first from {@code --send-proxy}: decoded by Netty's own decoder. */
    static HAProxyMessage headerSentFor(String sendProxy, List<String> extra, boolean clientCert) throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> {
                try (Socket s = backend.accept(); InputStream in = s.getInputStream()) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) >= 0) { // until the client's close reaches us
                        got.write(buf, 0, n);
                    }
                    return got.toByteArray();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            List<String> args = new java.util.ArrayList<>(List.of("proxy", "--listen", "0", "--connect",
                    "127.0.0.1:" + backend.getLocalPort(), "--certfile", pki.file("server.pem").toString(),
                    "--keyfile", pki.file("server.key").toString(), "--send-proxy", sendProxy));
            args.addAll(extra);
            try (Sslkit.Server proxy = Sslkit.start(args.toArray(String[]::new)); Ssl ssl = Ssl.start()) {
                var opts = pki.clientOptions(Provider.AUTO).serverNameIndication("server.sslkit.test");
                if (clientCert) {
                    opts.certfile(pki.file("client.pem")).keyfile(pki.file("client.key"));
                }
                try (SslSocket client = ssl.connect("localhost", proxy.port(), opts.build(), Timeout.millis(20_000))) {
                    client.send("after the header");
                }
                byte[] bytes = first.get(30, TimeUnit.SECONDS);
                EmbeddedChannel ch = new EmbeddedChannel(new HAProxyMessageDecoder());
                try {
                    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
                    HAProxyMessage m = ch.readInbound();
                    assertThat(m).as("%d bytes; proxy: %s", bytes.length, proxy.err().text()).isNotNull();
                    io.netty.buffer.ByteBuf rest = ch.readInbound();
                    try {
                        assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("after the header");
                    } finally {
                        rest.release();
                    }
                    return m;
                } finally {
                    ch.finishAndReleaseAll();
                }
            }
        }
    }

    @Test
    void v2CarriesTheTlsTlvs() throws Exception {
        HAProxyMessage m = headerSentFor("v2", List.of("--cacertfile", pki.file("ca.pem").toString(), "--verify",
                "verify_peer"), true);
        try {
            assertThat(m.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
            assertThat(m.sourceAddress()).isEqualTo("127.0.0.1");
            Map<Byte, String> top = m.tlvs().stream().filter(t -> !(t instanceof HAProxySSLTLV))
                    .collect(Collectors.toMap(HAProxyTLV::typeByteValue,
                            t -> t.content().toString(StandardCharsets.UTF_8)));
            assertThat(top).containsEntry((byte) 0x02, "server.sslkit.test");                // PP2_TYPE_AUTHORITY
            HAProxySSLTLV ssl = (HAProxySSLTLV) m.tlvs().stream().filter(t -> t instanceof HAProxySSLTLV)
                    .findFirst().orElseThrow();
            assertThat(ssl.isPP2ClientSSL()).isTrue();
            assertThat(ssl.isPP2ClientCertConn()).isTrue();
            Map<Byte, String> sub = ssl.encapsulatedTLVs().stream().collect(Collectors.toMap(
                    HAProxyTLV::typeByteValue, t -> t.content().toString(StandardCharsets.UTF_8)));
            assertThat(sub).containsEntry((byte) 0x21, "TLSv1.3")        // PP2_SUBTYPE_SSL_VERSION
                    .containsEntry((byte) 0x22, "sslkit test client")      // PP2_SUBTYPE_SSL_CN
                    .containsKey((byte) 0x23);                             // PP2_SUBTYPE_SSL_CIPHER
            assertThat(sub.get((byte) 0x23)).startsWith("TLS_");
        } finally {
            m.release();
        }
    }

    @Test
    void v1CarriesTheAddresses() throws Exception {
        HAProxyMessage m = headerSentFor("v1", List.of(), false);
        try {
            assertThat(m.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V1);
            assertThat(m.sourceAddress()).isEqualTo("127.0.0.1");
            assertThat(m.destinationAddress()).isEqualTo("127.0.0.1");
        } finally {
            m.release();
        }
    }
}
