package io.sslkit.netty.engine;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.CertificateVerifier;
import io.netty.internal.tcnative.SSL;
import io.netty.util.concurrent.Promise;
import io.sslkit.Alert;
import io.sslkit.CipherSuite;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.netty.context.AlpnGuard;
import io.sslkit.netty.context.ResumptionGate;
import io.sslkit.netty.context.TlsContext;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLEngine;

/**
 * BoringSSL through netty-tcnative ({@code provider openssl}). It never renegotiates (a peer's renegotiation is
 * refused, netty/netty#11529), resumes TLS 1.3 from tickets only, can set ticket keys per context and switch
 * tickets off per connection ({@code SSL_OP_NO_TICKET}), and cannot send {@code no_application_protocol} (tcnative's
 * selector only knows "no ALPN" or "my last protocol"), so a guard does.
 *
 * <p>Native calls on a connection's {@code SSL*} are made under the engine's lock and only while the engine holds
 * one ({@code sslPointer() != 0}: a freed engine has none), as Netty's own calls are.
 */
public final class BoringSslEngine implements Engine {

    static final BoringSslEngine INSTANCE = new BoringSslEngine();

    private BoringSslEngine() {
    }

    @Override
    public Provider provider() {
        return Provider.OPENSSL;
    }

    @Override
    public SslProvider nettyProvider() {
        return SslProvider.OPENSSL;
    }

    @Override
    public boolean can(Capability c) {
        return c != Capability.RENEGOTIATION;
    }

    @Override
    public List<Protocol> versions() {
        List<Protocol> out = new ArrayList<>();
        if (OpenSsl.isCipherSuiteAvailable("TLS_AES_128_GCM_SHA256")) { // a TLS 1.3 suite: 1.3 is built in
            out.add(Protocol.TLS_V1_3);
        }
        out.add(Protocol.TLS_V1_2);
        return out;
    }

    @Override
    public String versionString() {
        return OpenSsl.versionString();
    }

    /** No DHE suites (BoringSSL removed them), and always all three TLS 1.3 suites. */
    @Override
    public List<CipherSuite> cipherSuites() {
        return CipherSuite.known().stream().filter(s -> OpenSsl.isCipherSuiteAvailable(s.ianaName())).toList();
    }

    @Override
    public boolean refusesAlpnMismatch() {
        return false;
    }

    @Override
    public Optional<Guard> alpnGuard(List<String> serverProtocols, Promise<?> failure) {
        return serverProtocols.isEmpty() ? Optional.empty()
                : Optional.of(new Guard("alpn-guard", new AlpnGuard(serverProtocols, failure)));
    }

    @Override
    public List<Guard> renegotiationGuards(boolean client, long renegotiateAt, Duration window) {
        return List.of(); // never renegotiates; the engine refuses a client's renegotiation itself
    }

    @Override
    public Optional<Guard> resumptionGate(TlsContext tls) {
        return tls.client() ? Optional.empty()
                : tls.options().reuseSessionFun().map(f -> new Guard("reuse-gate", new ResumptionGate(f, tls)));
    }

    /**
     * Flushes from many small sends reach SslHandler as one: it then wraps them into full records and one socket
     * write, instead of a record and a syscall per send.
     */
    @Override
    public boolean consolidatesFlushes() {
        return true;
    }

    /**
     * Netty's handler flushes before a close, and the sender waits for its last write before a TCP shutdown, so
     * nothing stays behind.
     */
    @Override
    public Optional<Guard> flushConsolidation() {
        return Optional.of(new Guard("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true)));
    }

    /**
     * {@code SSL_OP_CIPHER_SERVER_PREFERENCE} set on the connection itself: a getSSLParameters/setSSLParameters
     * round trip would also set the engine's cipher list and protocols again (SSL_set_cipher_list parses the whole
     * string), on every accepted connection.
     */
    @Override
    public void honorCipherOrder(SSLEngine engine, boolean honor) {
        onSsl(engine, ssl -> {
            if (honor) {
                SSL.setOptions(ssl, SSL.SSL_OP_CIPHER_SERVER_PREFERENCE);
            } else {
                SSL.clearOptions(ssl, SSL.SSL_OP_CIPHER_SERVER_PREFERENCE);
            }
        });
    }

    /**
     * {@code SSL_OP_NO_TICKET} on the connection. Netty sets it on every context and clears it per connection when
     * TLS 1.3 is enabled (BoringSSL resumes TLS 1.3 only from tickets); set again it means no TLS 1.2 tickets
     * (session ids remain) and no TLS 1.3 tickets, sent or accepted.
     */
    @Override
    public void noTickets(SSLEngine engine) {
        onSsl(engine, ssl -> SSL.setOptions(ssl, SSL.SSL_OP_NO_TICKET));
    }

    @Override
    public void setTicketKeys(SslContext ctx, List<byte[]> keys) throws SslException {
        if (!(ctx.sessionContext() instanceof OpenSslSessionContext openssl)) {
            throw new SslException(Reason.Atom.NOTSUP);
        }
        OpenSslSessionTicketKey[] k = new OpenSslSessionTicketKey[keys.size()];
        for (int i = 0; i < k.length; i++) {
            byte[] b = keys.get(i);
            if (b.length != 48) {
                throw new SslException(new Reason.Options("session_ticket_keys", b.length + " bytes", "not_48_bytes"));
            }
            k[i] = new OpenSslSessionTicketKey(Arrays.copyOfRange(b, 0, 16), Arrays.copyOfRange(b, 16, 32),
                    Arrays.copyOfRange(b, 32, 48));
        }
        openssl.setTicketKeys(k);
    }

    @Override
    public boolean resumed(SSLEngine engine, long handshakeStartMillis) {
        boolean[] reused = {false};
        onSsl(engine, ssl -> reused[0] = SSL.isSessionReused(ssl));
        return reused[0];
    }

    /** Runs {@code call} on the engine's {@code SSL*} under its lock, if it still has one. */
    private static void onSsl(SSLEngine engine, LongConsumer call) {
        if (engine instanceof ReferenceCountedOpenSslEngine e) {
            synchronized (e) {
                long ssl = e.sslPointer();
                if (ssl != 0) {
                    call.accept(ssl);
                }
            }
        }
    }

    /** Exactly the wanted alert, on both sides and versions (see {@link #rejectionException}). */
    @Override
    public Alert rejectionAlert(Alert wanted, boolean clientSide, String protocol) {
        return wanted;
    }

    /**
     * The engine passes the {@code X509_V_ERR_*} code of an {@link OpenSslCertificateException} to BoringSSL's
     * {@code SSL_alert_from_verify_result}, which sends: {@code CERT_HAS_EXPIRED} → certificate_expired,
     * {@code CERT_REJECTED} → bad_certificate, {@code UNABLE_TO_GET_ISSUER_CERT_LOCALLY} → unknown_ca,
     * {@code INVALID_PURPOSE} → unsupported_certificate, {@code CERT_REVOKED} → certificate_revoked,
     * {@code APPLICATION_VERIFICATION} → handshake_failure.
     */
    @Override
    public CertificateException rejectionException(CertificateException e, Alert alert) {
        return new OpenSslCertificateException(e.getMessage(), e, VerifyCodes.of(alert));
    }

    @Override
    public AlertDecoder alerts() {
        return BoringSslAlerts.INSTANCE;
    }

    @Override
    public String toString() {
        return "openssl engine (BoringSSL)";
    }

    /**
     * The {@code X509_V_ERR_*} code per alert; tcnative fills these constants from BoringSSL when its native
     * library loads, so they are only read where this engine runs.
     */
    private static final class VerifyCodes {
        static int of(Alert alert) {
            return switch (alert) {
                case CERTIFICATE_EXPIRED -> CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
                case BAD_CERTIFICATE -> CertificateVerifier.X509_V_ERR_CERT_REJECTED;
                case UNKNOWN_CA -> CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
                case UNSUPPORTED_CERTIFICATE -> CertificateVerifier.X509_V_ERR_INVALID_PURPOSE;
                case CERTIFICATE_REVOKED -> CertificateVerifier.X509_V_ERR_CERT_REVOKED;
                default -> CertificateVerifier.X509_V_ERR_APPLICATION_VERIFICATION;
            };
        }
    }
}
