package io.sslkit.netty.context;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContextBuilder;
import io.sslkit.CipherSuite;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.netty.engine.Engine;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The negotiation options ({@code ciphers}, ALPN, {@code dh}) applied to a Netty {@link SslContextBuilder}.
 * {@code honor_cipher_order} is per engine ({@link TlsContext#newServerHandler}); {@code secure_renegotiate} is
 * read by renegotiation.
 */
final class Negotiation {

    private Negotiation() {
    }

    static void client(SslContextBuilder b, SslOptions o, Engine engine) throws SslException {
        ciphers(b, o, engine);
        if (!o.alpnAdvertisedProtocols().isEmpty()) {
            // A server that picks nothing is fine (protocol_not_negotiated); one that picks a protocol we did not
            // offer is refused by the engine itself (RFC 7301 3.2).
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                    o.alpnAdvertisedProtocols()));
        }
    }

    static void server(SslContextBuilder b, SslOptions o, Engine engine) throws SslException {
        ciphers(b, o, engine);
        if (o.dh().isPresent() || o.dhfile().isPresent()) {
            // Neither engine takes DH parameters per context: BoringSSL has no DHE suites, the JDK uses RFC 7919
            // groups (or the JVM-wide jdk.tls.server.defaultDHEParameters). Refuse rather than ignore.
            String option = o.dh().isPresent() ? "dh" : "dhfile";
            String value = o.dh().isPresent() ? "<<DER>>" : o.dhfile().get().toString();
            throw new SslException(new Reason.Options(option, value, "dh_not_supported"));
        }
        if (!o.alpnPreferredProtocols().isEmpty()) {
            // The JDK refuses a client without a common protocol with no_application_protocol (RFC 7301 3.2).
            // netty-tcnative cannot make BoringSSL do so: its selector only knows "no ALPN" or "my last protocol".
            // (AlpnGuard refuses such a client before the engine sees it)
            SelectorFailureBehavior onNoMatch = engine.refusesAlpnMismatch() ? SelectorFailureBehavior.FATAL_ALERT
                    : SelectorFailureBehavior.NO_ADVERTISE;
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    onNoMatch, SelectedListenerFailureBehavior.ACCEPT, o.alpnPreferredProtocols()));
        }
    }

    /** Anonymous, NULL, export, RC4 and (3)DES suites: refused unless the options opt in. */
    static boolean insecure(String iana) {
        return iana.contains("_anon_") || iana.contains("_NULL_") || iana.endsWith("_NULL") || iana.contains("EXPORT")
                || iana.contains("_RC4_") || iana.contains("_DES_") || iana.contains("3DES") || iana.contains("_DES40_");
    }

    /** {@code ciphers}: the ones the engine supports, in the given order; none → an options error. */
    private static void ciphers(SslContextBuilder b, SslOptions o, Engine engine) throws SslException {
        if (o.ciphers().isEmpty()) {
            return;
        }
        List<CipherSuite> supported = engine.cipherSuites();
        if (!o.allowInsecureCiphers()) {
            for (CipherSuite c : o.ciphers()) {
                if (insecure(c.ianaName())) {
                    // secure by default: a weak suite is never used just because a list names it
                    throw new SslException(new Reason.Options("ciphers", c.ianaName(), "insecure_cipher"));
                }
            }
        }
        List<String> chosen = o.ciphers().stream().filter(supported::contains).map(CipherSuite::ianaName).toList();
        if (chosen.isEmpty()) {
            String given = o.ciphers().stream().map(CipherSuite::opensslName).collect(Collectors.joining(":"));
            throw new SslException(new Reason.Options("ciphers", given, "no_supported_ciphers"));
        }
        b.ciphers(chosen);
    }
}
