package io.sslkit.netty.context;

import io.sslkit.CipherSuite;
import io.sslkit.Format;
import io.sslkit.Provider;
import io.sslkit.SslException;
import io.sslkit.netty.engine.Engine;
import java.util.List;

/**
 * The cipher suites an engine supports, for {@code ssl:cipher_suites/1} ({@code Ssl.cipherSuites(Format)}): the
 * suites of {@link CipherSuite#known()} that the engine can negotiate, in sslkit's order of preference.
 *
 * <p>On BoringSSL the list has no DHE suites (BoringSSL removed them) and always all three TLS 1.3 suites; on the
 * JDK it follows the JDK's supported (not merely enabled) suites, minus those its security properties disable.
 */
public final class CipherSuites {

    private CipherSuites() {
    }

    /** The supported suites of the engine ({@code auto} resolved). */
    public static List<CipherSuite> supported(Provider provider) throws SslException {
        return Engine.resolve(provider).cipherSuites();
    }

    /** The supported suites' names in {@code format} (OTP's {@code cipher_suites(erlang | openssl)} and IANA). */
    public static List<String> list(Provider provider, Format format) throws SslException {
        return supported(provider).stream().map(s -> s.name(format)).toList();
    }
}
