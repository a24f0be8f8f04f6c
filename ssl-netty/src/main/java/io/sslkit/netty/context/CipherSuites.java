package io.sslkit.netty.context;

import io.netty.handler.ssl.OpenSsl;
import io.sslkit.CipherSuite;
import io.sslkit.Format;
import io.sslkit.Provider;
import io.sslkit.SslException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

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
        Provider p = TlsContexts.resolve(provider);
        List<CipherSuite> out = new ArrayList<>();
        Set<String> jdk = p == Provider.JDK ? jdkSuites() : Set.of();
        for (CipherSuite s : CipherSuite.known()) {
            boolean ok = p == Provider.OPENSSL ? OpenSsl.isCipherSuiteAvailable(s.ianaName()) : jdk.contains(
                    s.ianaName());
            if (ok) {
                out.add(s);
            }
        }
        return out;
    }

    /** The supported suites' names in {@code format} (OTP's {@code cipher_suites(erlang | openssl)} and IANA). */
    public static List<String> list(Provider provider, Format format) throws SslException {
        return supported(provider).stream().map(s -> s.name(format)).toList();
    }

    private static Set<String> jdkSuites() {
        try {
            // Enabled by default = supported and not disabled by jdk.tls.disabledAlgorithms (3DES, for example).
            return Set.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            return Set.of();
        }
    }
}
