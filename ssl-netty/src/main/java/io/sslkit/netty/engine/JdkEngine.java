package io.sslkit.netty.engine;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Promise;
import io.sslkit.Alert;
import io.sslkit.CipherSuite;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.handler.RenegotiateAtHandler;
import io.sslkit.netty.handler.RenegotiationLimiter;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The JDK's {@code SSLEngine} (JSSE). It renegotiates (TLS 1.2, either side) and updates keys (TLS 1.3), sends
 * {@code no_application_protocol} itself, and has no per-connection or per-context control over session tickets.
 *
 * <h2>What differs between JDK releases</h2>
 * The one table of the alerts JSSE sends differently by release (checked on 17 and 25; releases between them are
 * taken to behave as 25, unchecked). Everything else about this engine is the same on both.
 * <table>
 *   <caption>Alerts by JDK release</caption>
 *   <tr><th>situation</th><th>JDK 17</th><th>JDK 25</th></tr>
 *   <tr><td>a client rejects the server's certificate, TLS 1.2</td>
 *       <td colspan="2">the {@code CertPathValidatorException} cause's alert: certificate_expired, bad_certificate,
 *       unsupported_certificate, certificate_revoked; anything else certificate_unknown</td></tr>
 *   <tr><td>a client rejects the server's certificate, TLS 1.3</td><td>certificate_unknown, always</td>
 *       <td>as on TLS 1.2</td></tr>
 *   <tr><td>a server rejects the client's certificate (either version)</td>
 *       <td colspan="2">certificate_unknown, always</td></tr>
 *   <tr><td>a server requires a client certificate and gets none</td><td>bad_certificate (1.2 and 1.3)</td>
 *       <td>handshake_failure (1.2), certificate_required (1.3), as BoringSSL</td></tr>
 * </table>
 * JSSE never sends unknown_ca or handshake_failure for a rejected certificate.
 */
public final class JdkEngine implements Engine {

    /** The engine of the running JDK. */
    static final JdkEngine RUNNING = new JdkEngine(Runtime.version().feature());

    /** The last release with the JDK 17 column of the table. */
    private static final int LAST_OLD_ALERTS = 17;

    private final int feature;
    private final JdkAlerts alerts = new JdkAlerts(this);

    /** @param feature the JDK release whose behaviour to describe ({@code Runtime.version().feature()}) */
    JdkEngine(int feature) {
        this.feature = feature;
    }

    /** The engine of a given JDK release (the running one is {@code Engine.of(Provider.JDK)}): for tests. */
    public static JdkEngine release(int feature) {
        return feature == RUNNING.feature ? RUNNING : new JdkEngine(feature);
    }

    @Override
    public Provider provider() {
        return Provider.JDK;
    }

    @Override
    public SslProvider nettyProvider() {
        return SslProvider.JDK;
    }

    @Override
    public boolean can(Capability c) {
        return c == Capability.RENEGOTIATION;
    }

    @Override
    public List<Protocol> versions() {
        List<Protocol> out = new ArrayList<>();
        try {
            List<String> names = List.of(SSLContext.getDefault().getSupportedSSLParameters().getProtocols());
            for (Protocol p : List.of(Protocol.TLS_V1_3, Protocol.TLS_V1_2)) {
                if (names.contains(p.javaName())) {
                    out.add(p);
                }
            }
        } catch (NoSuchAlgorithmException e) {
            out.add(Protocol.TLS_V1_2);
        }
        return out;
    }

    @Override
    public String versionString() {
        return "JDK " + Runtime.version();
    }

    @Override
    public List<CipherSuite> cipherSuites() {
        Set<String> jdk;
        try {
            // Enabled by default = supported and not disabled by jdk.tls.disabledAlgorithms (3DES, for example).
            jdk = Set.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            jdk = Set.of();
        }
        List<CipherSuite> out = new ArrayList<>();
        for (CipherSuite s : CipherSuite.known()) {
            if (jdk.contains(s.ianaName())) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public boolean refusesAlpnMismatch() {
        return true;
    }

    @Override
    public Optional<Guard> alpnGuard(List<String> serverProtocols, Promise<?> failure) {
        return Optional.empty();
    }

    @Override
    public List<Guard> renegotiationGuards(boolean client, long renegotiateAt, Duration window) {
        Guard at = new Guard("renegotiate-at", new RenegotiateAtHandler(renegotiateAt));
        return client ? List.of(at) : List.of(new Guard("renegotiation-limiter", new RenegotiationLimiter(window)), at);
    }

    @Override
    public Optional<Guard> resumptionGate(TlsContext tls) {
        return Optional.empty();
    }

    @Override
    public boolean consolidatesFlushes() {
        // a send held before SslHandler when renegotiate() starts would be wrapped after the new ClientHello, and
        // OpenSSL and OTP servers refuse application data in the middle of a renegotiation (unexpected_message)
        return false;
    }

    @Override
    public Optional<Guard> flushConsolidation() {
        return Optional.empty();
    }

    @Override
    public void honorCipherOrder(SSLEngine engine, boolean honor) {
        SSLParameters params = engine.getSSLParameters();
        params.setUseCipherSuitesOrder(honor);
        engine.setSSLParameters(params);
    }

    @Override
    public void noTickets(SSLEngine engine) {
        // the JDK's tickets are switched off JVM-wide only (jdk.tls.server.enableSessionTicketExtension); options
        // that need this per connection resolve to BoringSSL
    }

    @Override
    public void setTicketKeys(SslContext ctx, List<byte[]> keys) throws SslException {
        throw new SslException(Reason.Atom.NOTSUP); // JSSE has no ticket-key API
    }

    @Override
    public boolean resumed(SSLEngine engine, long handshakeStartMillis) {
        // The JDK has no such call; a resumed session is the cached one, made by an earlier handshake.
        return engine.getSession().getCreationTime() < handshakeStartMillis;
    }

    @Override
    public Alert rejectionAlert(Alert wanted, boolean clientSide, String protocol) {
        boolean mapsCause = clientSide && (!"TLSv1.3".equals(protocol) || feature > LAST_OLD_ALERTS);
        if (!mapsCause) {
            return Alert.CERTIFICATE_UNKNOWN;
        }
        return switch (wanted) {
            case CERTIFICATE_EXPIRED, BAD_CERTIFICATE, UNSUPPORTED_CERTIFICATE, CERTIFICATE_REVOKED -> wanted;
            default -> Alert.CERTIFICATE_UNKNOWN;
        };
    }

    @Override
    public CertificateException rejectionException(CertificateException e, Alert alert) {
        return e; // JSSE picks the alert from e's cause itself
    }

    /** The alert a server sent to a client that sent no certificate where one is required (see the table). */
    Alert missingClientCertificateAlert(String version) {
        if (feature <= LAST_OLD_ALERTS) {
            return Alert.BAD_CERTIFICATE;
        }
        return "TLSv1.3".equals(version) ? Alert.CERTIFICATE_REQUIRED : Alert.HANDSHAKE_FAILURE;
    }

    @Override
    public AlertDecoder alerts() {
        return alerts;
    }

    @Override
    public String toString() {
        return "jdk engine (JDK " + feature + ")";
    }
}
