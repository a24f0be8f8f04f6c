package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.ConnectionInfo;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.TestPki;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Session resumption: a second connection with the same options to the same server resumes the first's session. */
class SessionReuseTest {

    private static final TestPki PKI = TestPki.ec();

    static Stream<Arguments> engines() {
        return Stream.of(Provider.OPENSSL, Provider.JDK)
                .flatMap(p -> Stream.of(Protocol.TLS_V1_2, Protocol.TLS_V1_3).map(v -> Arguments.of(p, v)));
    }

    /** Connects, exchanges a byte (TLS 1.3 tickets arrive after the handshake), and returns both sides' info. */
    private static ConnectionInfo[] once(Ssl ssl, SslListenSocket listen, SslOptions client) throws Exception {
        CompletableFuture<ConnectionInfo> server = Async.supply(() -> {
            try (SslSocket s = listen.transportAccept(Timeout.millis(10_000))) {
                s.handshake(Timeout.millis(10_000));
                s.send("x");
                s.recv(1, Timeout.millis(10_000));
                return s.connectionInfo();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try (SslSocket c = ssl.connect("localhost", listen.port(), client, Timeout.millis(10_000))) {
            c.recv(1, Timeout.millis(10_000));
            c.send("y");
            ConnectionInfo ci = c.connectionInfo();
            return new ConnectionInfo[] {ci, server.get(10, TimeUnit.SECONDS)};
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aSecondConnectionResumesTheSession(Provider p, Protocol v) throws Exception {
        try (Ssl ssl = Ssl.start();
             SslListenSocket listen = ssl.listen(0, PKI.serverOptions(p).versions(v).build())) {
            SslOptions client = PKI.clientOptions(p).versions(v).build();
            ConnectionInfo[] first = once(ssl, listen, client);
            ConnectionInfo[] second = once(ssl, listen, client);
            assertThat(first[0].sessionResumed()).isFalse();
            assertThat(first[1].sessionResumed()).isFalse();
            System.out.printf("%s %s: second connection resumed client=%s server=%s%n", p, v,
                    second[0].sessionResumed(), second[1].sessionResumed());
            assertThat(second[0].sessionResumed()).isTrue();
            assertThat(second[1].sessionResumed()).isTrue();
        }
    }
}
