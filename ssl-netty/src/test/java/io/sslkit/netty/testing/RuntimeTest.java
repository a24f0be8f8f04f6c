package io.sslkit.netty.testing;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Base of the loopback test classes: one {@link Ssl} runtime per class ({@link #ssl}), and {@link #engines()}, every
 * provider × TLS version, for {@code @MethodSource("engines")}.
 */
public abstract class RuntimeTest {

    /** The runtime of this test class. */
    protected static Ssl ssl;

    @BeforeAll
    static void startRuntime() {
        ssl = Ssl.start();
    }

    @AfterAll
    static void stopRuntime() {
        ssl.stop();
    }

    /** BoringSSL and the JDK engine, each with TLS 1.2 and 1.3. */
    public static Stream<Arguments> engines() {
        return Stream.of(Provider.OPENSSL, Provider.JDK)
                .flatMap(p -> Stream.of(Protocol.TLS_V1_2, Protocol.TLS_V1_3).map(v -> Arguments.of(p, v)));
    }
}
