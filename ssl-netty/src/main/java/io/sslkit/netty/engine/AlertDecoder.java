package io.sslkit.netty.engine;

import io.netty.handler.ssl.NotSslRecordException;
import io.sslkit.Alert;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.net.ssl.SSLException;

/**
 * Reads from an engine's failure which alert the peer sent, or which alert this side sent, from the failure's types
 * and codes. One implementation per engine ({@link Engine#alerts()}); what both engines share (Netty's and the JDK
 * crypto's exception types, sslkit's own {@link LocalAlertException}) is read here, first.
 */
public abstract class AlertDecoder {

    /** The alert the peer sent, if the failure reports one ({@code close_notify} included). */
    public abstract Optional<Alert> received(SSLException failure);

    /**
     * The alert this side sent for a local failure.
     *
     * @param version the version the handshake had chosen ({@code TLSv1.3}, {@code TLSv1.2}), {@code null} if unknown
     */
    public final Alert sent(SSLException failure, String version) {
        return typed(failure).orElseGet(() -> engineSent(failure, version));
    }

    /** What this engine sent, when no shared type told already. */
    protected abstract Alert engineSent(SSLException failure, String version);

    /** Alerts told by types both engines share, walking the cause chain. */
    static Optional<Alert> typed(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof LocalAlertException l) {
                return Optional.of(l.alert());
            }
            if (c instanceof BadPaddingException) { // AEADBadTagException included: a record that does not decrypt
                return Optional.of(Alert.BAD_RECORD_MAC);
            }
            if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
                return Optional.of(Alert.CERTIFICATE_EXPIRED);
            }
            if (c instanceof CertPathValidatorException v
                    && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return Optional.of(Alert.CERTIFICATE_EXPIRED);
            }
            if (c instanceof NotSslRecordException) { // Netty's SslHandler: a record that is not TLS (plain text)
                return Optional.of(Alert.UNEXPECTED_MESSAGE);
            }
        }
        return Optional.empty();
    }
}
