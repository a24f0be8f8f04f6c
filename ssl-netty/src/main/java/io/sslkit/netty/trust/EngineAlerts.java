package io.sslkit.netty.trust;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.sslkit.Alert;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Makes each engine send the alert of a failed validation, or the nearest one it can.
 *
 * <h3>BoringSSL (netty-tcnative)</h3>
 * The engine passes the {@code X509_V_ERR_*} code of an {@link OpenSslCertificateException} to BoringSSL's
 * {@code SSL_alert_from_verify_result}, which sends: {@code CERT_HAS_EXPIRED} → certificate_expired,
 * {@code CERT_SIGNATURE_FAILURE}/{@code CERT_REJECTED} → bad_certificate, {@code UNABLE_TO_GET_ISSUER_CERT_LOCALLY}
 * → unknown_ca, {@code INVALID_PURPOSE} → unsupported_certificate, {@code CERT_REVOKED} → certificate_revoked,
 * {@code APPLICATION_VERIFICATION} → handshake_failure. So every reason gets exactly OTP's alert, on both sides and
 * both versions.
 *
 * <h3>JDK</h3>
 * JSSE chooses the alert itself: a client on TLS 1.2 looks at the {@code CertPathValidatorException} cause of the
 * trust manager's exception ({@code EXPIRED} → certificate_expired, {@code INVALID_SIGNATURE}/{@code NOT_YET_VALID}
 * → bad_certificate, {@code ALGORITHM_CONSTRAINED} → unsupported_certificate, {@code REVOKED} →
 * certificate_revoked, anything else → certificate_unknown), and so does a JDK 25 client on TLS 1.3; a JDK 17
 * client on TLS 1.3 and a server on either version always send certificate_unknown. unknown_ca and handshake_failure cannot be sent at all.
 */
final class EngineAlerts {

    private EngineAlerts() {
    }

    /**
     * The exception to throw to {@code engine} for a failed validation; records on {@code e} the alert that the
     * engine will send.
     *
     * @param clientSide whether this side is the client (checking the server)
     */
    static CertificateException toThrow(CertificateRejectedException e, SSLEngine engine, boolean clientSide) {
        if (engine instanceof ReferenceCountedOpenSslEngine) {
            return BoringSsl.exception(e);
        }
        e.sentAlert(jdkAlert(e.reason().alert(), clientSide, protocolOf(engine)));
        return e;
    }

    /** What JSSE sends (see the class comment), from the alert OTP would send. */
    static Alert jdkAlert(Alert wanted, boolean clientSide, String protocol) {
        if (!clientSide || "TLSv1.3".equals(protocol) && Runtime.version().feature() <= 17) {
            return Alert.CERTIFICATE_UNKNOWN; // a JDK 25 client on TLS 1.3 maps the cause as on 1.2 (checked)
        }
        return switch (wanted) {
            case CERTIFICATE_EXPIRED, BAD_CERTIFICATE, UNSUPPORTED_CERTIFICATE, CERTIFICATE_REVOKED -> wanted;
            default -> Alert.CERTIFICATE_UNKNOWN;
        };
    }

    private static String protocolOf(SSLEngine engine) {
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        return s == null ? null : s.getProtocol();
    }

    /**
     * Kept apart: {@link OpenSslCertificateException} can only be loaded where BoringSSL is. The codes are read from
     * netty-tcnative's {@code CertificateVerifier} (runtime-only for this module), which takes them from BoringSSL.
     */
    private static final class BoringSsl {
        private static final Class<?> VERIFIER = verifierClass();

        static CertificateException exception(CertificateRejectedException e) {
            return new OpenSslCertificateException(e.getMessage(), e, code(e.reason().alert()));
        }

        static int code(Alert alert) {
            return switch (alert) {
                case CERTIFICATE_EXPIRED -> constant("X509_V_ERR_CERT_HAS_EXPIRED");
                case BAD_CERTIFICATE -> constant("X509_V_ERR_CERT_REJECTED");
                case UNKNOWN_CA -> constant("X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
                case UNSUPPORTED_CERTIFICATE -> constant("X509_V_ERR_INVALID_PURPOSE");
                case CERTIFICATE_REVOKED -> constant("X509_V_ERR_CERT_REVOKED");
                default -> constant("X509_V_ERR_APPLICATION_VERIFICATION");
            };
        }

        private static int constant(String name) {
            try {
                return VERIFIER.getField(name).getInt(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("netty-tcnative lacks CertificateVerifier." + name, e);
            }
        }

        private static Class<?> verifierClass() {
            try {
                return Class.forName("io.netty.internal.tcnative.CertificateVerifier", true,
                        ReferenceCountedOpenSslEngine.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("an OpenSSL engine without netty-tcnative", e);
            }
        }
    }
}
