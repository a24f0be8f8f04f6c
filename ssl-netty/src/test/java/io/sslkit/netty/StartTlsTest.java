package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** STARTTLS: a plain TCP conversation upgraded with {@code connect(tcp, …)} and {@code accept(tcp, …)}. */
class StartTlsTest {

    private static final TestPki PKI = TestPki.ec();

    private static void write(SocketChannel ch, String s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String readLine(SocketChannel ch) throws Exception {
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IllegalStateException("eof");
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return sb.toString();
            }
            sb.append(c);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aPlainConversationIsUpgradedToTlsOnBothSides(Provider p) throws Exception {
        try (Ssl ssl = Ssl.start();
             ServerSocketChannel listen = ServerSocketChannel.open()
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<String> server = Async.supply(() -> {
                try (SocketChannel plain = listen.accept()) {
                    assertThat(readLine(plain)).isEqualTo("STARTTLS");
                    write(plain, "OK go ahead\n");
                    try (SslSocket tls = ssl.accept(plain, PKI.serverOptions(p).build(), Timeout.millis(10_000))) {
                        String got = new String(tls.recv(6, Timeout.millis(10_000)), StandardCharsets.UTF_8);
                        tls.send("secret reply");
                        return got;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (SocketChannel plain = SocketChannel.open(listen.getLocalAddress())) {
                write(plain, "STARTTLS\n");
                assertThat(readLine(plain)).isEqualTo("OK go ahead");
                try (SslSocket tls = ssl.connect(plain, PKI.clientOptions(p).serverNameIndication("localhost")
                        .build(), Timeout.millis(10_000))) {
                    assertThat(tls.connectionInfo().provider()).isEqualTo(p);
                    tls.send("secret");
                    assertThat(new String(tls.recv(12, Timeout.millis(10_000)), StandardCharsets.UTF_8))
                            .isEqualTo("secret reply");
                }
            }
            assertThat(server.get(10, TimeUnit.SECONDS)).isEqualTo("secret");
        }
    }
}
