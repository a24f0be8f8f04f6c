package io.sslkit.netty.trust;

import io.sslkit.Alert;
import io.sslkit.BadCertReason;
import io.sslkit.VerifyEvent;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Path validation stopped: the {@code verify_fun} answered {@code {fail, Reason}} (or threw). Thrown by
 * {@link PathValidator}; the trust manager hands it to the engine in the form that makes the engine send the
 * nearest alert it can (see {@link VerifyFunTrustManagerFactory}), and it stays in the cause chain of the
 * engine's {@code SSLHandshakeException}, where {@code Errors} finds it to report the local alert with the reason.
 *
 * <p>Its cause is a {@link CertPathValidatorException} whose {@link CertPathValidatorException.BasicReason} is
 * chosen so that the JDK engine, which reads only that, sends the closest alert it knows.
 */
public final class CertificateRejectedException extends CertificateException {

    private static final long serialVersionUID = 1L;

    private final transient BadCertReason reason;
    private final transient X509Certificate certificate;
    private final transient VerifyEvent event;
    /** The alert the engine was made to send; set once by the trust manager that throws this. */
    private volatile Alert sentAlert;

    CertificateRejectedException(BadCertReason reason, X509Certificate certificate, VerifyEvent event,
            Throwable funFailure) {
        super("verify_fun: {bad_cert," + reason.erlangName() + "} at " + event + " for "
                + certificate.getSubjectX500Principal().getName(), cause(reason, funFailure));
        this.reason = Objects.requireNonNull(reason, "reason");
        this.certificate = certificate;
        this.event = event;
        this.sentAlert = reason.alert();
    }

    private static CertPathValidatorException cause(BadCertReason reason, Throwable funFailure) {
        CertPathValidatorException.BasicReason basic = switch (reason.alert()) {
            case CERTIFICATE_EXPIRED -> CertPathValidatorException.BasicReason.EXPIRED;
            case BAD_CERTIFICATE -> CertPathValidatorException.BasicReason.INVALID_SIGNATURE;
            case UNSUPPORTED_CERTIFICATE -> CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED;
            case CERTIFICATE_REVOKED -> CertPathValidatorException.BasicReason.REVOKED;
            default -> CertPathValidatorException.BasicReason.UNSPECIFIED;
        };
        return new CertPathValidatorException("{bad_cert," + reason.erlangName() + "}", funFailure, null, -1, basic);
    }

    /** Why validation stopped: {@code cert_expired}, {@code hostname_check_failed}, a user reason, ... */
    public BadCertReason reason() {
        return reason;
    }

    /** The certificate validation stopped at. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The event the fun answered {@code fail} to. */
    public VerifyEvent event() {
        return event;
    }

    /**
     * The alert the engine sends for this failure: {@link BadCertReason#alert()} with BoringSSL; with the JDK
     * engine the nearest one it can send (see {@link VerifyFunTrustManagerFactory}).
     */
    public Alert sentAlert() {
        return sentAlert;
    }

    void sentAlert(Alert alert) {
        this.sentAlert = Objects.requireNonNull(alert, "alert");
    }
}
