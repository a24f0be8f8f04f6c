package io.sslkit.netty.testing;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import java.nio.charset.StandardCharsets;
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

    /** A call expected to fail with an {@link SslException}. */
    public interface Call {
        void run() throws Exception;
    }

    /** The reason {@code c} failed with; an assertion error if it succeeded or threw something else. */
    protected static Reason reasonOf(Call c) {
        try {
            c.run();
        } catch (SslException e) {
            return e.reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected an SslException");
    }

    /** Bytes as UTF-8 text. */
    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
